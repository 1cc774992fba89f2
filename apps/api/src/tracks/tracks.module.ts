import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { TrackEntity } from './track.entity';
import { TracksService } from './tracks.service';

@Module({
  imports: [TypeOrmModule.forFeature([TrackEntity]), WebhookOutboxModule],
  providers: [TracksService],
  exports: [TracksService],
})
export class TracksModule {}
