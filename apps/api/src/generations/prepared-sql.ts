import { DatabaseError, escapeIdentifier, type PoolClient, type QueryResult } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { GenerationEntity } from './generation.entity';
import { sqlLiteral } from './generation-rows';

type SqlValue = Parameters<typeof sqlLiteral>[0];

let generation = 0;

/**
 * A server-side prepared statement (SQL `PREPARE` / `EXECUTE`) for the hot statements
 * that travel inside multi-statement simple queries, where the protocol's named
 * statements cannot go. Postgres then skips parsing and planning them on every job
 * (about half of their cost on the server).
 *
 * Prepared statements belong to a connection: the first use on a connection sends the
 * `PREPARE` in the same message as the `EXECUTE`, so it costs no extra round trip. A
 * `PREPARE` is not undone when its message fails, so after any failure the connection
 * gets a fresh name rather than a guess about what it holds.
 *
 * (A connection pooler in transaction mode, e.g. PgBouncer, does not keep SQL-level
 * prepared statements: put it in session mode, or connect directly.)
 */
export class PreparedSql {
  private readonly names = new WeakMap<PoolClient, { name: string; prepared: boolean }>();

  /** `body` uses $1…$n for parameters of the given SQL types. */
  constructor(
    private readonly base: string,
    private readonly types: string[],
    private readonly body: string,
  ) {}

  /**
   * Runs it on `client` with `values`, in one simple-query message that starts with
   * `before` (other statements) and, when the connection does not have it yet, the
   * `PREPARE`. Returns every statement's result: the last is this statement's.
   */
  async query(client: PoolClient, values: SqlValue[], before = ''): Promise<QueryResult[]> {
    if (values.length !== this.types.length) throw new Error(`${this.base}: ${this.types.length} values expected, got ${values.length}`);
    let state = this.names.get(client);
    if (!state) {
      state = { name: `${this.base}_${++generation}`, prepared: false };
      this.names.set(client, state);
    }
    const prepare = state.prepared ? '' : `PREPARE ${state.name} (${this.types.join(', ')}) AS ${this.body};\n`;
    try {
      const results = await simpleQuery(client, `${before}${prepare}EXECUTE ${state.name} (${values.map(sqlLiteral).join(', ')})`);
      state.prepared = true;
      return results;
    } catch (error) {
      // Whether the statement is still there and usable is unknown: next time, a new name.
      if (this.names.get(client) === state) this.names.delete(client);
      throw error;
    }
  }
}

/** The generations columns, listed: a prepared statement's result stays valid when a column is added. */
export function generationColumns(dataSource: DataSource, alias?: string): string {
  return dataSource
    .getMetadata(GenerationEntity)
    .columns.map((column) => (alias ? `${alias}.` : '') + escapeIdentifier(column.databaseName))
    .join(', ');
}

/** Runs one simple-query message (one or more statements); returns each statement's result. */
export async function simpleQuery(client: PoolClient, sql: string): Promise<QueryResult[]> {
  const result = (await client.query(sql)) as unknown as QueryResult | QueryResult[];
  return Array.isArray(result) ? result : [result];
}

/**
 * A connection of TypeORM's pool for `use`. After an error reported by the server the
 * connection goes back to the pool (the failed message's implicit transaction is already
 * rolled back); after any other error it is discarded.
 */
export async function withPoolConnection<T>(dataSource: DataSource, use: (client: PoolClient) => Promise<T>): Promise<T> {
  const [client, release] = (await (dataSource.driver as PostgresDriver).obtainMasterConnection()) as [PoolClient, (error?: Error) => void];
  try {
    const result = await use(client);
    release();
    return result;
  } catch (error) {
    release(error instanceof DatabaseError ? undefined : (error as Error));
    throw error;
  }
}
