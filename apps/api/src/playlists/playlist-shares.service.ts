import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SHARE_DEFAULT_HOURS, type PlaylistShareResponse } from '@texttune/contracts';
import { IsNull, MoreThan, type Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/cursor';
import { ShareSigner } from '../library/share-signer';
import { MAX_SHARES_PER_TRACK, shareNotFound } from '../library/shares.service';
import { PlaylistEntity, PlaylistShareEntity } from './playlist.entity';
import { playlistNotFound } from './playlists.service';

/** Share links of playlists: the same tokens and rules as a track's, for the whole list. */
@Injectable()
export class PlaylistSharesService {
  constructor(
    @InjectRepository(PlaylistShareEntity) private readonly shares: Repository<PlaylistShareEntity>,
    @InjectRepository(PlaylistEntity) private readonly playlists: Repository<PlaylistEntity>,
    private readonly signer: ShareSigner,
  ) {}

  toResponse(share: PlaylistShareEntity): PlaylistShareResponse {
    return {
      id: share.id,
      playlist_id: share.playlistId,
      url: `/v1/shared-playlists/${this.signer.token('playlist', share.id, share.expiresAt)}`,
      expires_at: share.expiresAt.toISOString(),
      created_at: share.createdAt.toISOString(),
    };
  }

  private async owned(userId: string, playlistId: string): Promise<PlaylistEntity> {
    const playlist = isUuid(playlistId) ? await this.playlists.findOneBy({ id: playlistId, userId }) : null;
    if (!playlist) throw playlistNotFound();
    return playlist;
  }

  async create(userId: string, playlistId: string, hours = SHARE_DEFAULT_HOURS): Promise<PlaylistShareEntity> {
    const playlist = await this.owned(userId, playlistId);
    const active = await this.shares.count({ where: { playlistId: playlist.id, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) } });
    if (active >= MAX_SHARES_PER_TRACK) {
      throw new ApiError(409, 'limit_exceeded', `This playlist already has ${MAX_SHARES_PER_TRACK} active share links; revoke one before creating another.`, { max: MAX_SHARES_PER_TRACK });
    }
    return this.shares.save(this.shares.create({ playlistId: playlist.id, userId, expiresAt: new Date(Math.floor(Date.now() + hours * 3600_000)) }));
  }

  async listActive(userId: string, playlistId: string): Promise<PlaylistShareEntity[]> {
    const playlist = await this.owned(userId, playlistId);
    return this.shares.find({ where: { playlistId: playlist.id, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) }, order: { createdAt: 'DESC' } });
  }

  async revoke(userId: string, playlistId: string, shareId: string): Promise<void> {
    const playlist = await this.owned(userId, playlistId);
    if (!isUuid(shareId)) throw shareNotFound();
    const { affected } = await this.shares.update({ id: shareId, playlistId: playlist.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!affected) throw shareNotFound();
  }

  /** The playlist behind a token, or 404 for anything forged, expired, revoked or deleted. */
  async resolve(token: string): Promise<{ share: PlaylistShareEntity; playlist: PlaylistEntity }> {
    const claim = this.signer.verify('playlist', token);
    if (!claim) throw shareNotFound();
    const share = await this.shares.findOneBy({ id: claim.id });
    if (!share || share.revokedAt || share.expiresAt.getTime() !== claim.expiresMs) throw shareNotFound();
    const playlist = await this.playlists.findOneBy({ id: share.playlistId });
    if (!playlist) throw shareNotFound();
    return { share, playlist };
  }
}
