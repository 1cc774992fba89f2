import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A user's reference (melody) audio, stored under `<user>/refs/<id>.<ext>`. */
@Entity('references')
export class ReferenceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'storage_key', type: 'text' })
  storageKey!: string;

  /** the container, from decoding the bytes */
  @Column({ type: 'varchar', length: 8 })
  format!: string;

  /** the codec inside the container (pcm, mp3, flac, vorbis, opus…); null for rows stored before decoding */
  @Column({ type: 'varchar', length: 16, nullable: true })
  codec!: string | null;

  @Column({ type: 'smallint', nullable: true })
  channels!: number | null;

  @Column({ name: 'sample_rate', type: 'integer', nullable: true })
  sampleRate!: number | null;

  @Column({ name: 'mime_type', type: 'varchar', length: 64 })
  mimeType!: string;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  sizeBytes!: number;

  @Column({ name: 'duration_seconds', type: 'real', nullable: true })
  durationSeconds!: number | null;

  /** the uploaded file's name, as the client gave it (shown only) */
  @Column({ name: 'file_name', type: 'varchar', length: 255, nullable: true })
  fileName!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
