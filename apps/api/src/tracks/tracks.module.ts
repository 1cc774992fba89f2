import { Module } from '@nestjs/common';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { TrackRepository } from './track.repository';
import { TracksService } from './tracks.service';

@Module({
  imports: [WebhookOutboxModule],
  providers: [TrackRepository, TracksService],
  exports: [TracksService, TrackRepository],
})
export class TracksModule {}
