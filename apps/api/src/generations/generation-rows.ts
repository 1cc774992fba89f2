import { escapeLiteral } from 'pg';
import type { DataSource } from 'typeorm';
import { GenerationEntity } from './generation.entity';

/**
 * A raw `generations` row (from `RETURNING *`) as the entity, converted the way TypeORM
 * hydrates it on a find, so an UPDATE/INSERT … RETURNING needs no reload.
 */
export function generationFromRow(dataSource: DataSource, raw: Record<string, unknown>): GenerationEntity {
  const metadata = dataSource.getMetadata(GenerationEntity);
  const entity = metadata.create() as GenerationEntity;
  for (const column of metadata.columns) column.setEntityValue(entity, dataSource.driver.prepareHydratedValue(raw[column.databaseName], column));
  return entity;
}

/**
 * A value as an SQL literal, for the few statements sent as one multi-statement simple
 * query (which cannot carry bind parameters). Strings go through node-postgres'
 * `escapeLiteral` (libpq's PQescapeLiteral rules: quotes doubled, `E''` when there is a
 * backslash); numbers must be finite; objects are sent as JSON text.
 */
export function sqlLiteral(value: string | number | boolean | null | object): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return value < 0 ? `(${value})` : String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return escapeLiteral(typeof value === 'string' ? value : JSON.stringify(value));
}
