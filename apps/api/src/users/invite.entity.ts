import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A one-time invite to create a password account (REGISTRATION=invite); the code itself is never stored. */
@Entity('invites')
export class InviteEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** SHA-256 of the code */
  @Column({ name: 'code_hash', type: 'bytea', select: false })
  codeHash!: Buffer;

  /** only this address may use it (stored lower case); null: whoever has the code */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'used_by', type: 'uuid', nullable: true })
  usedBy!: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
