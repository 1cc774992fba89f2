import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ShareRepository } from '../shares/share.repository';
import { PlaylistShareEntity } from './playlist.entity';

/** The `playlist_shares` table: share links of playlists. */
@Injectable()
export class PlaylistShareRepository extends ShareRepository<PlaylistShareEntity> {
  constructor(@InjectRepository(PlaylistShareEntity) shares: Repository<PlaylistShareEntity>) {
    super(shares, 'playlistId');
  }
}
