import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoudnessBackfill } from './loudness-backfill';
import { TrackEntity } from './track.entity';
import { TracksService } from './tracks.service';

@Module({
  imports: [TypeOrmModule.forFeature([TrackEntity])],
  providers: [TracksService, LoudnessBackfill],
  exports: [TracksService, LoudnessBackfill],
})
export class TracksModule {}
