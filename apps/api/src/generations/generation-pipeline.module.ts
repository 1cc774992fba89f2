import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReferencesModule } from '../references/references.module';
import { TracksModule } from '../tracks/tracks.module';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { GenerationRunner } from './generation-runner';
import { GenerationEntity } from './generation.entity';
import { GenerationsModule } from './generations.module';

/** What renders a job once the queue hands it over (worker processes only). */
@Module({
  imports: [TypeOrmModule.forFeature([GenerationEntity]), GenerationsModule, TracksModule, ReferencesModule, WebhookOutboxModule],
  providers: [GenerationRunner],
  exports: [GenerationRunner, GenerationsModule, TypeOrmModule],
})
export class GenerationPipelineModule {}
