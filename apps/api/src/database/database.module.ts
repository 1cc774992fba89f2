import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Sql } from './sql';

/** Gives every repository the one `Sql` (TypeORM's pool, bound parameters). */
@Global()
@Module({
  providers: [{ provide: Sql, useFactory: (dataSource: DataSource) => new Sql(dataSource), inject: [DataSource] }],
  exports: [Sql],
})
export class DatabaseModule {}
