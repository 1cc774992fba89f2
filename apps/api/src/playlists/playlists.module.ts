import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LibraryModule } from '../library/library.module';
import { TracksModule } from '../tracks/tracks.module';
import { PlaylistEntity, PlaylistShareEntity } from './playlist.entity';
import { PlaylistShareRepository } from './playlist-share.repository';
import { PlaylistSharesService } from './playlist-shares.service';
import { PlaylistRepository } from './playlist.repository';
import { PlaylistsService } from './playlists.service';

/** Playlists of a user's tracks, and their share links. */
@Module({
  imports: [TypeOrmModule.forFeature([PlaylistEntity, PlaylistShareEntity]), TracksModule, LibraryModule],
  providers: [PlaylistsService, PlaylistSharesService, PlaylistRepository, PlaylistShareRepository],
  exports: [PlaylistsService, PlaylistSharesService],
})
export class PlaylistsModule {}
