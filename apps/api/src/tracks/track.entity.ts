import type { DownloadFormat } from '@texttune/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface StoredRendition {
  key: string;
  size: number;
}

/** One rendered take: its audio file in storage and everything needed to describe it. */
@Entity('tracks')
export class TrackEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'generation_id', type: 'uuid', nullable: true })
  generationId!: string | null;

  @Column({ name: 'take_index', type: 'integer', default: 0 })
  takeIndex!: number;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ name: 'prompt_raw', type: 'text' })
  promptRaw!: string;

  @Column({ name: 'prompt_expanded', type: 'text', nullable: true })
  promptExpanded!: string | null;

  @Column({ type: 'jsonb', default: {} })
  params!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 64 })
  engine!: string;

  @Column({ name: 'engine_meta', type: 'jsonb', default: {} })
  engineMeta!: Record<string, unknown>;

  @Column({ name: 'duration_seconds', type: 'real' })
  durationSeconds!: number;

  @Column({ name: 'sample_rate', type: 'integer' })
  sampleRate!: number;

  @Column({ type: 'smallint' })
  channels!: number;

  @Column({ type: 'varchar', length: 8 })
  format!: string;

  @Column({ name: 'mime_type', type: 'varchar', length: 64 })
  mimeType!: string;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  sizeBytes!: number;

  @Column({ name: 'storage_key', type: 'text' })
  storageKey!: string;

  /** PEAKS_LENGTH min/max pairs as signed bytes (value × 127), or null when the format could not be read */
  @Column({ type: 'bytea', nullable: true, select: false })
  peaks!: Buffer | null;

  /** Other formats made from the original (or, for the parts, from the same request) on first request, by format. */
  @Column({ type: 'jsonb', default: {} })
  renditions!: Partial<Record<DownloadFormat, StoredRendition>>;

  /** integrated loudness (LUFS); null when not measured (yet), silent or undecodable */
  @Column({ name: 'loudness_integrated_lufs', type: 'real', nullable: true })
  loudnessIntegratedLufs!: number | null;

  /** true peak (dBTP), null with the integrated loudness */
  @Column({ name: 'loudness_true_peak_dbtp', type: 'real', nullable: true })
  loudnessTruePeakDbtp!: number | null;

  /** loudness range (LU, EBU Tech 3342), null with the integrated loudness */
  @Column({ name: 'loudness_range_lu', type: 'real', nullable: true })
  loudnessRangeLu!: number | null;

  /** when the loudness was measured (or found unmeasurable); null for a track the backfill has not reached */
  @Column({ name: 'loudness_measured_at', type: 'timestamptz', nullable: true })
  loudnessMeasuredAt!: Date | null;

  /** why a measured track has no loudness */
  @Column({ name: 'loudness_error', type: 'text', nullable: true })
  loudnessError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
