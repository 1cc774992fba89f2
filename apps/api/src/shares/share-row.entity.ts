import { Column, CreateDateColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The columns of every share link's row (a track's, a playlist's): who made it, until
 * when it plays, whether it was revoked, and whether its page offers downloads. Each entity adds the id of what it shares.
 */
export abstract class ShareRowEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** whether the public page may offer the audio as a download */
  @Column({ name: 'allow_download', type: 'boolean', default: false })
  allowDownload!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
