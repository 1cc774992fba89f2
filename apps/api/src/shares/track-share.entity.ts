import { Column, Entity } from 'typeorm';
import { ShareRowEntity } from './share-row.entity';

/** A public, read-only, expiring link to one track. Revoked or expired links answer 404. */
@Entity('track_shares')
export class TrackShareEntity extends ShareRowEntity {
  @Column({ name: 'track_id', type: 'uuid' })
  trackId!: string;
}
