import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthCacheModule } from '../auth/auth-cache.module';
import { ApiTokenEntity } from './api-token.entity';
import { ApiTokenRepository } from './api-token.repository';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';

/** Personal API tokens (`/v1/tokens`); the auth guard uses the service to accept them. */
@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity]), AuthCacheModule],
  controllers: [TokensController],
  providers: [TokensService, ApiTokenRepository],
  // The admin API revokes an account's tokens in its audited transaction.
  exports: [TokensService, ApiTokenRepository],
})
export class TokensModule {}
