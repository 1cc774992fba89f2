import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { LoudnessBackfill } from './loudness-backfill';
import { TrackEntity } from './track.entity';
import { TracksService } from './tracks.service';

@Module({
  imports: [TypeOrmModule.forFeature([TrackEntity]), WebhookOutboxModule],
  providers: [TracksService, LoudnessBackfill],
  exports: [TracksService, LoudnessBackfill],
})
export class TracksModule {}
