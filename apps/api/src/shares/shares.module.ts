import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TracksModule } from '../tracks/tracks.module';
import { ShareSigner } from './share-signer';
import { SharesService } from './shares.service';
import { TrackShareEntity } from './track-share.entity';
import { TrackShareRepository } from './track-share.repository';

/** Share links: signed tokens (ShareSigner, also for playlists) and a track's links (SharesService). */
@Module({
  imports: [TypeOrmModule.forFeature([TrackShareEntity]), TracksModule],
  providers: [SharesService, ShareSigner, TrackShareRepository],
  exports: [SharesService, ShareSigner],
})
export class SharesModule {}
