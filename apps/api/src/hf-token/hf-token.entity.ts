import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A user's own Hugging Face token, one per user, sealed with SECRETS_KEY
 * (see SecretBox; the user id is the associated data). Only its last 4 characters and the
 * account Hugging Face named are kept in clear.
 */
@Entity('hf_tokens')
export class HfTokenEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'token_sealed', type: 'bytea', select: false })
  tokenSealed!: Buffer;

  /** SecretBox.keyId of the key that sealed it */
  @Column({ name: 'key_id', type: 'varchar', length: 16 })
  keyId!: string;

  @Column({ type: 'varchar', length: 4 })
  last4!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  account!: string | null;

  @Column({ type: 'varchar', length: 16 })
  verification!: 'verified' | 'unverified';

  @Column({ type: 'text', nullable: true })
  warning!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
