import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LibraryModule } from '../library/library.module';
import { TracksModule } from '../tracks/tracks.module';
import { PlaylistEntity, PlaylistShareEntity } from './playlist.entity';
import { PlaylistSharesService } from './playlist-shares.service';
import { PlaylistsService } from './playlists.service';

/** Playlists of a user's tracks, and their share links. */
@Module({
  imports: [TypeOrmModule.forFeature([PlaylistEntity, PlaylistShareEntity]), TracksModule, LibraryModule],
  providers: [PlaylistsService, PlaylistSharesService],
  exports: [PlaylistsService, PlaylistSharesService],
})
export class PlaylistsModule {}
