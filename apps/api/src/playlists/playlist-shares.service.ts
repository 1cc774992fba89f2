import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { PlaylistShareResponse } from '@texttune/contracts';
import type { Repository } from 'typeorm';
import { isUuid } from '../common/cursor';
import { ShareLinks } from '../library/share-links';
import { ShareSigner } from '../library/share-signer';
import { PlaylistEntity, PlaylistShareEntity } from './playlist.entity';
import { playlistNotFound } from './playlists.service';

/** Share links of playlists: the same tokens and rules as a track's, for the whole list. */
@Injectable()
export class PlaylistSharesService extends ShareLinks<PlaylistShareEntity, PlaylistEntity> {
  protected readonly kind = 'playlist';
  protected readonly targetColumn = 'playlistId';

  constructor(
    @InjectRepository(PlaylistShareEntity) shares: Repository<PlaylistShareEntity>,
    @InjectRepository(PlaylistEntity) private readonly playlists: Repository<PlaylistEntity>,
    signer: ShareSigner,
  ) {
    super(shares, signer);
  }

  protected async findOwned(userId: string, playlistId: string): Promise<PlaylistEntity> {
    const playlist = isUuid(playlistId) ? await this.playlists.findOneBy({ id: playlistId, userId }) : null;
    if (!playlist) throw playlistNotFound();
    return playlist;
  }

  protected findTarget(playlistId: string): Promise<PlaylistEntity | null> {
    return this.playlists.findOneBy({ id: playlistId });
  }

  toResponse(share: PlaylistShareEntity): PlaylistShareResponse {
    return {
      id: share.id,
      playlist_id: share.playlistId,
      url: `/v1/shared-playlists/${this.tokenOf(share)}`,
      allow_download: share.allowDownload,
      expires_at: share.expiresAt.toISOString(),
      created_at: share.createdAt.toISOString(),
    };
  }
}
