import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RowChanges } from '../database/row-changes';
import { AuthCache } from './auth-cache';

/** The one {@link AuthCache} of the process, shared by the session and the API token checks, and its feed of row changes. */
@Module({
  providers: [AuthCache, { provide: RowChanges, useFactory: (dataSource: DataSource) => RowChanges.of(dataSource), inject: [getDataSourceToken()] }],
  exports: [AuthCache],
})
export class AuthCacheModule {}
