import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import { Sql } from './sql';

describe('Sql (real Postgres)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let sql: Sql;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource({ type: 'postgres', url: db.url, poolSize: 2 }).initialize();
    sql = new Sql(dataSource);
    await sql.run(`CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL, meta jsonb)`);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('binds values, never splicing them into the text', async () => {
    const body = `it's "quoted", $1; DROP TABLE notes; -- 비 오는 날 🎹`;
    const meta = { nested: { n: -1.5, list: [1, null, 'a\\b'] } };
    const [row] = await sql.rows<{ id: number; body: string; meta: unknown }>(`INSERT INTO notes (body, meta) VALUES ($1, $2) RETURNING id, body, meta`, [body, meta]);
    expect(row).toEqual({ id: 1, body, meta });
    expect(await sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM notes`)).toEqual({ n: 1 });
  });

  it('reports the rows an UPDATE or DELETE touched, with or without RETURNING', async () => {
    await sql.run(`INSERT INTO notes (body) VALUES ('b'), ('c')`);
    expect(await sql.run(`UPDATE notes SET body = body || '!' WHERE body <> $1`, ['nothing'])).toBe(3);
    const updated = await sql.query<{ id: number }>(`UPDATE notes SET body = 'x' WHERE id > $1 RETURNING id`, [1]);
    expect(updated).toEqual({ rows: [{ id: 2 }, { id: 3 }], rowCount: 2 });
    expect(await sql.run(`DELETE FROM notes WHERE id = $1`, [99])).toBe(0);
    expect(await sql.one(`SELECT id FROM notes WHERE id = $1`, [99])).toBeUndefined();
  });

  it('commits a transaction together and rolls it back together', async () => {
    await sql.transaction(async (tx) => {
      await tx.run(`INSERT INTO notes (body) VALUES ($1)`, ['kept']);
      await tx.transaction((inner) => inner.run(`INSERT INTO notes (body) VALUES ($1)`, ['kept too']));
    });
    await expect(
      sql.transaction(async (tx) => {
        await tx.run(`INSERT INTO notes (body) VALUES ($1)`, ['lost']);
        await tx.run(`SELECT 1 / 0`);
      }),
    ).rejects.toThrow(/division by zero/);
    const bodies = (await sql.rows<{ body: string }>(`SELECT body FROM notes WHERE body LIKE $1 ORDER BY id`, ['%kept%'])).map((r) => r.body);
    expect(bodies).toEqual(['kept', 'kept too']);
    expect(await sql.one(`SELECT 1 FROM notes WHERE body = 'lost'`)).toBeUndefined();
  });

  it('returns every connection it borrows to the pool', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => sql.rows(`SELECT $1::int AS i`, [i])));
    await expect(sql.rows(`SELECT 1 / $1::int`, [0])).rejects.toThrow(/division by zero/);
    const driver = dataSource.driver as unknown as { master: { totalCount: number; idleCount: number } };
    expect(driver.master.idleCount).toBe(driver.master.totalCount);
  });
});
