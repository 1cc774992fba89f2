import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MigrationStatus } from './migration-status';
import { Sql } from './sql';

/** Gives every repository the one `Sql` (TypeORM's pool, bound parameters), and services the migration status. */
@Global()
@Module({
  providers: [
    { provide: Sql, useFactory: (dataSource: DataSource) => new Sql(dataSource), inject: [DataSource] },
    { provide: MigrationStatus, useFactory: (dataSource: DataSource) => new MigrationStatus(dataSource), inject: [DataSource] },
  ],
  exports: [Sql, MigrationStatus],
})
export class DatabaseModule {}
