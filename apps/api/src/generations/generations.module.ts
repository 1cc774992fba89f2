import { Module } from '@nestjs/common';
import { ReferencesModule } from '../references/references.module';
import { TracksModule } from '../tracks/tracks.module';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { GenerationEvents } from './generation-events';
import { GenerationStream } from './generation-stream';
import { GenerationRepository } from './generation.repository';
import { GenerationsService } from './generations.service';

/** Generation jobs as users see them: admission, listing, cancel, their live events. */
@Module({
  imports: [TracksModule, ReferencesModule, WebhookOutboxModule],
  providers: [GenerationRepository, GenerationsService, GenerationEvents, GenerationStream],
  exports: [GenerationsService, GenerationEvents, GenerationStream, GenerationRepository],
})
export class GenerationsModule {}
