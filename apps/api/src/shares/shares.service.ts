import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ShareResponse } from '@texttune/contracts';
import type { Repository } from 'typeorm';
import type { TrackEntity } from '../tracks/track.entity';
import { TrackShareEntity } from './track-share.entity';
import { TracksService } from '../tracks/tracks.service';
import { ShareLinks } from './share-links';
import { ShareSigner } from './share-signer';

/** Share links of tracks: stream, metadata and waveform, nothing else of the owner's. */
@Injectable()
export class SharesService extends ShareLinks<TrackShareEntity, TrackEntity> {
  protected readonly kind = 'track';
  protected readonly targetColumn = 'trackId';

  constructor(
    @InjectRepository(TrackShareEntity) shares: Repository<TrackShareEntity>,
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
