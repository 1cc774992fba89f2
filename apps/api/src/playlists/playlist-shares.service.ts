import { Injectable } from '@nestjs/common';
import type { PlaylistShareResponse } from '@texttune/contracts';
import { isUuid } from '../common/uuid';
import { ShareLinks } from '../shares/share-links';
import { ShareSigner } from '../shares/share-signer';
import type { PlaylistEntity, PlaylistShareEntity } from './playlist.entity';
import { PlaylistShareRepository } from './playlist-share.repository';
import { PlaylistRepository } from './playlist.repository';
import { playlistNotFound } from './playlists.service';

/** Share links of playlists: the same tokens and rules as a track's, for the whole list. */
@Injectable()
export class PlaylistSharesService extends ShareLinks<PlaylistShareEntity, PlaylistEntity> {
  protected readonly kind = 'playlist';
  protected readonly targetColumn = 'playlistId';

  constructor(
    shares: PlaylistShareRepository,
    private readonly playlists: PlaylistRepository,
    signer: ShareSigner,
  ) {
    super(shares, signer);
  }

  protected async findOwned(userId: string, playlistId: string): Promise<PlaylistEntity> {
    const playlist = isUuid(playlistId) ? await this.playlists.findOwned(userId, playlistId) : null;
    if (!playlist) throw playlistNotFound();
    return playlist;
  }

  protected findTarget(playlistId: string): Promise<PlaylistEntity | null> {
    return this.playlists.findById(playlistId);
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
