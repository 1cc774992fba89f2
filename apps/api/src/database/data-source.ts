import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/** The entity classes of the features (src/entities.ts lists them; database/ knows none of them). */
export type EntityList = NonNullable<DataSourceOptions['entities']>;

/**
 * The one DataSource definition: explicit entities and migrations, never `synchronize`.
 * Used by the Nest module, the migration CLI and the tests.
 */
export function dataSourceOptions(url: string, entities: EntityList): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    extra: { max: 20, connectionTimeoutMillis: 5000, application_name: 'texttune' },
  };
}

export function createDataSource(url: string, entities: EntityList): DataSource {
  return new DataSource(dataSourceOptions(url, entities));
}
