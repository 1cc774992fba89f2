import { Module } from '@nestjs/common';
import { AuthCache } from './auth-cache';

/** The one {@link AuthCache} of the process, shared by the session and the API token checks. */
@Module({ providers: [AuthCache], exports: [AuthCache] })
export class AuthCacheModule {}
