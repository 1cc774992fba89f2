import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/data-source';
import { ENTITIES } from '../../src/entities';
import { Sql } from '../../src/database/sql';
import { createTestDatabase, type TestDatabase } from './test-database';

/** A fresh database with every migration applied, its DataSource and the one `Sql`: for repository int specs. */
export interface MigratedDatabase {
  db: TestDatabase;
  dataSource: DataSource;
  sql: Sql;
  close(): Promise<void>;
}

export async function migratedDatabase(): Promise<MigratedDatabase> {
  const db = await createTestDatabase();
  const dataSource = createDataSource(db.url, ENTITIES);
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    db,
    dataSource,
    sql: new Sql(dataSource),
    async close() {
      await dataSource.destroy();
      await db.drop();
    },
  };
}
