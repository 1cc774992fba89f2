import { Module } from '@nestjs/common';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { LoudnessBackfill } from './loudness-backfill';
import { TrackRepository } from './track.repository';
import { TracksService } from './tracks.service';

@Module({
  imports: [WebhookOutboxModule],
  providers: [TrackRepository, TracksService, LoudnessBackfill],
  exports: [TracksService, LoudnessBackfill],
})
export class TracksModule {}
