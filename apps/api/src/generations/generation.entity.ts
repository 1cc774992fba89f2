import type { GenerationErrorCode, GenerationParams, GenerationStatus } from '@texttune/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One generation job: the source of truth for its state, written before it is enqueued. */
@Entity('generations')
export class GenerationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: GenerationStatus;

  @Column({ type: 'text' })
  prompt!: string;

  /** The request with every default resolved (seed included), so a take can be reproduced. */
  @Column({ name: 'request', type: 'jsonb' })
  params!: GenerationParams;

  @Column({ type: 'varchar', length: 64, nullable: true })
  engine!: string | null;

  @Column({ type: 'real', default: 0 })
  progress!: number;

  /** Position in the engine's own queue (a Space's), while the engine waits there. */
  @Column({ name: 'engine_position', type: 'integer', nullable: true })
  enginePosition!: number | null;

  @Column({ name: 'eta_seconds', type: 'integer', nullable: true })
  etaSeconds!: number | null;

  @Column({ name: 'error_code', type: 'varchar', length: 32, nullable: true })
  errorCode!: GenerationErrorCode | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** duration × variations: what the job counts against the daily quota */
  @Column({ name: 'requested_seconds', type: 'real', default: 0 })
  requestedSeconds!: number;

  @Column({ name: 'cancel_requested_at', type: 'timestamptz', nullable: true })
  cancelRequestedAt!: Date | null;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt!: Date | null;

  @Column({ name: 'worker_id', type: 'varchar', length: 128, nullable: true })
  workerId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
