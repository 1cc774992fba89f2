import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HfTokenController } from './hf-token.controller';
import { HfTokenEntity } from './hf-token.entity';
import { HfTokenRepository } from './hf-token.repository';
import { HfTokenService } from './hf-token.service';

/** `/v1/me/hf-token`: users' own Hugging Face tokens; the engines read them through the service. */
@Module({
  imports: [TypeOrmModule.forFeature([HfTokenEntity])],
  controllers: [HfTokenController],
  providers: [HfTokenService, HfTokenRepository],
  exports: [HfTokenService],
})
export class HfTokenModule {}
