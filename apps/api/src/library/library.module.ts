import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GenerationsModule } from '../generations/generations.module';
import { TrackShareEntity } from '../tracks/track-share.entity';
import { TracksModule } from '../tracks/tracks.module';
import { LibraryController, TracksController } from './library.controller';
import { RenditionsService } from './renditions.service';
import { ShareSigner } from './share-signer';
import { SharesService } from './shares.service';
import { TrackShareRepository } from './track-share.repository';
import { SharedController, StreamController } from './stream.controller';

/** What a user does with tracks: the library, track pages, streaming, downloads, share links. */
@Module({
  imports: [TypeOrmModule.forFeature([TrackShareEntity]), TracksModule, GenerationsModule],
  controllers: [LibraryController, TracksController, StreamController, SharedController],
  providers: [TrackShareRepository, RenditionsService, SharesService, ShareSigner],
  exports: [RenditionsService, SharesService, ShareSigner],
})
export class LibraryModule {}
