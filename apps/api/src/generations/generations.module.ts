import { Module } from '@nestjs/common';
import { ReferencesModule } from '../references/references.module';
import { TracksModule } from '../tracks/tracks.module';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { GenerationEvents } from './generation-events';
import { GenerationRunner } from './generation-runner';
import { GenerationStream } from './generation-stream';
import { GenerationWorker } from './generation-worker';
import { GenerationRepository } from './generation.repository';
import { GenerationsController } from './generations.controller';
import { GenerationsService } from './generations.service';

@Module({
  imports: [TracksModule, ReferencesModule, WebhookOutboxModule],
  controllers: [GenerationsController],
  providers: [GenerationRepository, GenerationsService, GenerationEvents, GenerationStream, GenerationRunner, GenerationWorker],
  exports: [GenerationsService, GenerationRepository],
})
export class GenerationsModule {}
