import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MigrationStatus } from './migration-status';
import { RowChanges } from './row-changes';
import { Sql } from './sql';

/**
 * Gives every repository the one `Sql` (TypeORM's pool, bound parameters); services the
 * migration status; and the feed of changed rows (listening only once started).
 */
@Global()
@Module({
  providers: [
    { provide: Sql, useFactory: (dataSource: DataSource) => new Sql(dataSource), inject: [DataSource] },
    { provide: MigrationStatus, useFactory: (dataSource: DataSource) => new MigrationStatus(dataSource), inject: [DataSource] },
    { provide: RowChanges, useFactory: (dataSource: DataSource) => RowChanges.of(dataSource), inject: [DataSource] },
  ],
  exports: [Sql, MigrationStatus, RowChanges],
})
export class DatabaseModule {}
