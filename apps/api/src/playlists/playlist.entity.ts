import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ShareRowEntity } from '../shares/share-row.entity';

/** A user's ordered list of their tracks; the order lives in `playlist_tracks`. */
@Entity('playlists')
export class PlaylistEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A public, read-only, expiring link that plays a whole playlist. */
@Entity('playlist_shares')
export class PlaylistShareEntity extends ShareRowEntity {
  @Column({ name: 'playlist_id', type: 'uuid' })
  playlistId!: string;
}
