import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { API_TOKEN_CHECK } from '../auth/api-token-check';
import { AuthCacheModule } from '../auth/auth-cache.module';
import { ApiTokenEntity } from './api-token.entity';
import { TokensService } from './tokens.service';

/** Personal API tokens (`/v1/tokens`); the auth guard uses the service to accept them. */
@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity]), AuthCacheModule],
  providers: [TokensService, { provide: API_TOKEN_CHECK, useExisting: TokensService }],
  exports: [TokensService, API_TOKEN_CHECK],
})
export class TokensModule {}
