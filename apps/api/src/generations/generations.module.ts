import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReferencesModule } from '../references/references.module';
import { TracksModule } from '../tracks/tracks.module';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { GenerationEvents } from './generation-events';
import { GenerationRunner } from './generation-runner';
import { GenerationWorker } from './generation-worker';
import { GenerationEntity } from './generation.entity';
import { GenerationsController } from './generations.controller';
import { GenerationsService } from './generations.service';

@Module({
  imports: [TypeOrmModule.forFeature([GenerationEntity]), TracksModule, ReferencesModule, WebhookOutboxModule],
  controllers: [GenerationsController],
  providers: [GenerationsService, GenerationEvents, GenerationRunner, GenerationWorker],
  exports: [GenerationsService],
})
export class GenerationsModule {}
