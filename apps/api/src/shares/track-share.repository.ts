import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TrackShareEntity } from './track-share.entity';
import { ShareRepository } from './share.repository';

/** The `track_shares` table: share links of tracks. */
@Injectable()
export class TrackShareRepository extends ShareRepository<TrackShareEntity> {
  constructor(@InjectRepository(TrackShareEntity) shares: Repository<TrackShareEntity>) {
    super(shares, 'trackId');
  }
}
