import type { UserRole } from '@texttune/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored as typed; unique case-insensitively. Null for guests. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role!: UserRole;

  @Column({ name: 'is_guest', type: 'boolean', default: false })
  isGuest!: boolean;

  @Column({ name: 'display_name', type: 'varchar', length: 200, nullable: true })
  displayName!: string | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  /** A role set by an admin (admin API); kept over the identity provider's group claim. */
  @Column({ name: 'role_override', type: 'varchar', length: 16, nullable: true })
  roleOverride!: UserRole | null;

  /** Overrides of DAILY_SECONDS_QUOTA (0 = unlimited) and MAX_ACTIVE_JOBS_PER_USER; null = the default. */
  @Column({ name: 'quota_daily_seconds', type: 'integer', nullable: true })
  quotaDailySeconds!: number | null;

  @Column({ name: 'quota_max_active_jobs', type: 'integer', nullable: true })
  quotaMaxActiveJobs!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
