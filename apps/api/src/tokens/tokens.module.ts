import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { API_TOKEN_CHECK } from '../auth/api-token-check';
import { AuthCacheModule } from '../auth/auth-cache.module';
import { ApiTokenEntity } from './api-token.entity';
import { ApiTokenRepository } from './api-token.repository';
import { TokensService } from './tokens.service';

/** Personal API tokens (`/v1/tokens`); the auth guard uses the service to accept them. */
@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity]), AuthCacheModule],
  providers: [TokensService, ApiTokenRepository, { provide: API_TOKEN_CHECK, useExisting: TokensService }],
  // The admin API revokes an account's tokens in its audited transaction.
  exports: [TokensService, ApiTokenRepository, API_TOKEN_CHECK],
})
export class TokensModule {}
