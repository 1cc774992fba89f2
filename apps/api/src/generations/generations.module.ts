import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReferencesModule } from '../references/references.module';
import { TracksModule } from '../tracks/tracks.module';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { GenerationEvents } from './generation-events';
import { GenerationEntity } from './generation.entity';
import { GenerationsService } from './generations.service';

/** Generation jobs as users see them: admission, listing, cancel, their live events. */
@Module({
  imports: [TypeOrmModule.forFeature([GenerationEntity]), TracksModule, ReferencesModule, WebhookOutboxModule],
  providers: [GenerationsService, GenerationEvents],
  exports: [GenerationsService, GenerationEvents],
})
export class GenerationsModule {}
