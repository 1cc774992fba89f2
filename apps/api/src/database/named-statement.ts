import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A statement of the per-request hot paths (the session check, the track look-up, the
 * library page), sent as a named prepared statement of the extended protocol: each pool
 * connection has Postgres parse and plan it once, and every later use only binds the
 * values. The name must be unique to the text (node-postgres refuses one name with two
 * texts), and the text lists its columns, so an added column never changes a cached
 * plan's result.
 *
 * (Like every prepared statement, it needs a direct connection or a pooler in session
 * mode; see docs/deploy.md.)
 */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

/** Runs `statement` on a connection of TypeORM's pool, past TypeORM's query runner; returns the rows. */
export async function queryNamed<R extends QueryResultRow>(dataSource: DataSource, statement: NamedStatement, values: unknown[]): Promise<R[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  return (await pool.query<R>({ name: statement.name, text: statement.text, values })).rows;
}
