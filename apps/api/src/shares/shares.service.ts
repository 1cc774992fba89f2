import { Injectable } from '@nestjs/common';
import type { ShareResponse } from '@texttune/contracts';
import type { TrackEntity } from '../tracks/track.entity';
import type { TrackShareEntity } from './track-share.entity';
import { TracksService } from '../tracks/tracks.service';
import { ShareLinks } from './share-links';
import { ShareSigner } from './share-signer';
import { TrackShareRepository } from './track-share.repository';

/** Share links of tracks: stream, metadata and waveform, nothing else of the owner's. */
@Injectable()
export class SharesService extends ShareLinks<TrackShareEntity, TrackEntity> {
  protected readonly kind = 'track';

  constructor(
    shares: TrackShareRepository,
    private readonly tracks: TracksService,
    signer: ShareSigner,
  ) {
    super(shares, signer);
  }

  protected findOwned(userId: string, trackId: string): Promise<TrackEntity> {
    return this.tracks.findOwned(userId, trackId);
  }

  protected findTarget(trackId: string): Promise<TrackEntity | null> {
    return this.tracks.findById(trackId);
  }

  toResponse(share: TrackShareEntity): ShareResponse {
    const token = this.tokenOf(share);
    return {
      id: share.id,
      track_id: share.trackId,
      url: `/v1/shared/${token}`,
      audio_url: `/v1/shared/${token}/stream`,
      allow_download: share.allowDownload,
      expires_at: share.expiresAt.toISOString(),
      created_at: share.createdAt.toISOString(),
    };
  }
}
