import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { USER_TOKEN_SOURCE } from '../engines/music-engine';
import { HfTokenEntity } from './hf-token.entity';
import { HfTokenRepository } from './hf-token.repository';
import { HfTokenService } from './hf-token.service';

/** Users' own Hugging Face tokens (`/v1/me/hf-token`); the engines read them as the {@link USER_TOKEN_SOURCE}. */
@Module({
  imports: [TypeOrmModule.forFeature([HfTokenEntity])],
  providers: [HfTokenService, HfTokenRepository, { provide: USER_TOKEN_SOURCE, useExisting: HfTokenService }],
  exports: [HfTokenService, USER_TOKEN_SOURCE],
})
export class HfTokenModule {}
