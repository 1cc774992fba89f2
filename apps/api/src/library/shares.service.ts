import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SHARE_DEFAULT_HOURS, type ShareResponse } from '@texttune/contracts';
import { IsNull, MoreThan, type Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/cursor';
import type { TrackEntity } from '../tracks/track.entity';
import { TrackShareEntity } from '../tracks/track-share.entity';
import { TracksService } from '../tracks/tracks.service';
import { ShareSigner } from './share-signer';

/** Active links per track; more is refused (an owner revokes old ones first). */
export const MAX_SHARES_PER_TRACK = 20;

export const shareNotFound = () => new ApiError(404, 'not_found', 'This share link does not exist, has expired, or was revoked; ask its owner for a new one.');

/** Share links of tracks (tokens: see ShareSigner). */
@Injectable()
export class SharesService {
  constructor(
    @InjectRepository(TrackShareEntity) private readonly shares: Repository<TrackShareEntity>,
    private readonly tracks: TracksService,
    private readonly signer: ShareSigner,
  ) {}

  tokenOf(share: TrackShareEntity): string {
    return this.signer.token('track', share.id, share.expiresAt);
  }

  toResponse(share: TrackShareEntity): ShareResponse {
    const token = this.tokenOf(share);
    return {
      id: share.id,
      track_id: share.trackId,
      url: `/v1/shared/${token}`,
      audio_url: `/v1/shared/${token}/stream`,
      expires_at: share.expiresAt.toISOString(),
      created_at: share.createdAt.toISOString(),
    };
  }

  async create(userId: string, trackId: string, hours = SHARE_DEFAULT_HOURS): Promise<TrackShareEntity> {
    const track = await this.tracks.findOwned(userId, trackId);
    const active = await this.shares.count({ where: { trackId: track.id, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) } });
    if (active >= MAX_SHARES_PER_TRACK) {
      throw new ApiError(409, 'limit_exceeded', `This track already has ${MAX_SHARES_PER_TRACK} active share links; revoke one before creating another.`, { max: MAX_SHARES_PER_TRACK });
    }
    // Milliseconds only, as the signature covers the expiry exactly.
    const expiresAt = new Date(Math.floor(Date.now() + hours * 3600_000));
    return this.shares.save(this.shares.create({ trackId: track.id, userId, expiresAt }));
  }

  async listActive(userId: string, trackId: string): Promise<TrackShareEntity[]> {
    const track = await this.tracks.findOwned(userId, trackId);
    return this.shares.find({ where: { trackId: track.id, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) }, order: { createdAt: 'DESC' } });
  }

  async revoke(userId: string, trackId: string, shareId: string): Promise<void> {
    const track = await this.tracks.findOwned(userId, trackId);
    if (!isUuid(shareId)) throw shareNotFound();
    const { affected } = await this.shares.update({ id: shareId, trackId: track.id, userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!affected) throw shareNotFound();
  }

  /** The shared track behind a token, or 404 for anything forged, expired, revoked or deleted. */
  async resolve(token: string): Promise<{ share: TrackShareEntity; track: TrackEntity }> {
    const claim = this.signer.verify('track', token);
    if (!claim) throw shareNotFound();
    const share = await this.shares.findOneBy({ id: claim.id });
    if (!share || share.revokedAt || share.expiresAt.getTime() !== claim.expiresMs) throw shareNotFound();
    const track = await this.tracks.findById(share.trackId);
    if (!track) throw shareNotFound();
    return { share, track };
  }
}
