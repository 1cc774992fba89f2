import { Pool, type PoolClient } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { sqlLiteral } from './generation-rows';
import { PreparedSql, simpleQuery } from './prepared-sql';

describe('PreparedSql and sqlLiteral (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let client: PoolClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 2 });
    client = await pool.connect();
  });
  afterAll(async () => {
    client?.release();
    await pool?.end();
    await db?.drop();
  });

  const prepared = async () => (await client.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'tt_test_%'`)).rows[0].n as number;

  it('prepares once per connection, in the same message as the first EXECUTE', async () => {
    const statement = new PreparedSql('tt_test_div', ['int', 'int'], 'SELECT $1 / $2 AS q');
    const first = await statement.query(client, [7, 2]);
    expect(first).toHaveLength(2); // PREPARE, EXECUTE
    expect(first[1].rows).toEqual([{ q: 3 }]);
    const second = await statement.query(client, [9, 3], 'SELECT 1;\n');
    expect(second).toHaveLength(2); // the statement before, EXECUTE
    expect(second[1].rows).toEqual([{ q: 3 }]);
    expect(await prepared()).toBe(1);
  });

  it('recovers after a failed message, whether or not its PREPARE stayed', async () => {
    const statement = new PreparedSql('tt_test_fail', ['int', 'int'], 'SELECT $1 / $2 AS q');
    await expect(statement.query(client, [1, 0])).rejects.toThrow(/division by zero/); // PREPARE ran, EXECUTE failed
    expect((await statement.query(client, [8, 4])).at(-1)!.rows).toEqual([{ q: 2 }]);
    await expect(statement.query(client, [1, 0])).rejects.toThrow(/division by zero/); // prepared, EXECUTE failed
    expect((await statement.query(client, [6, 3])).at(-1)!.rows).toEqual([{ q: 2 }]);
    // the connection is usable afterwards (no transaction left open)
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('sends values as literals that read back exactly', async () => {
    const text = `it's a "quote", a back\\slash \\' and E'\\x41', 비 오는 날 🎹, $1; DROP TABLE x; --`;
    const object = { prompt: text, nested: { n: -1.5, list: [1, null, 'a\\b'] } };
    const [result] = await simpleQuery(
      client,
      `SELECT ${sqlLiteral(text)}::text AS t, ${sqlLiteral(object)}::jsonb AS j, ${sqlLiteral(-42.25)}::float8 AS n, ${sqlLiteral(null)}::text AS z, ${sqlLiteral(true)} AS b`,
    );
    expect(result.rows).toEqual([{ t: text, j: object, n: -42.25, z: null, b: true }]);
    expect(() => sqlLiteral(Number.NaN)).toThrow(TypeError);
    expect(() => sqlLiteral(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});
