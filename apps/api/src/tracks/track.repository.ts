import { Injectable } from '@nestjs/common';
import type { DownloadFormat } from '@texttune/contracts';
import type { OwnedLookup } from '../auth/owned-lookup';
import { ApiError } from '../common/api-error';
import { Sql } from '../database/sql';
import type { LoudnessColumns } from './track-loudness';
import type { StoredRendition, TrackEntity } from './track.entity';

/** A take about to be stored: every column but the creation time, its id chosen by the worker (it names the file). */
export type NewTrack = Omit<TrackEntity, 'id' | 'createdAt' | 'peaks' | 'renditions'> & { id: string; peaks: Buffer | null };

export const trackNotFound = () => new ApiError(404, 'not_found', 'No such track in your library (it may have been deleted).');

/** The loudness a response shows. */
const LOUDNESS_COLUMN_LIST = ['loudness_integrated_lufs', 'loudness_true_peak_dbtp', 'loudness_range_lu'] as const;

/** The columns a library page needs (no peaks, no engine metadata). */
const LIST_COLUMNS = `id, user_id, generation_id, take_index, title, prompt_raw, prompt_expanded, engine, duration_seconds, sample_rate, format, created_at, ${LOUDNESS_COLUMN_LIST.join(', ')}`;

/** Library rows: the list columns, whether the track has a waveform (not the waveform itself) and whether it is a loop (not the rest of its params). */
const SELECT_LIST_ROWS = `SELECT ${LIST_COLUMNS}, peaks IS NOT NULL AS has_peaks, params->'loop' = 'true'::jsonb AS is_loop FROM tracks`;

/** Every column but the peaks. */
const TRACK_COLUMN_LIST = ['id', 'user_id', 'generation_id', 'take_index', 'title', 'prompt_raw', 'prompt_expanded', 'params', 'engine', 'engine_meta',
  'duration_seconds', 'sample_rate', 'channels', 'format', 'mime_type', 'size_bytes', 'storage_key', 'renditions', 'created_at', ...LOUDNESS_COLUMN_LIST] as const;
const TRACK_COLUMNS = TRACK_COLUMN_LIST.join(', ');

interface TrackRow {
  id: string;
  user_id: string;
  generation_id: string | null;
  take_index: number;
  title: string;
  prompt_raw: string;
  prompt_expanded: string | null;
  engine: string;
  duration_seconds: number;
  sample_rate: number;
  format: string;
  created_at: Date;
  loudness_integrated_lufs: number | null;
  loudness_true_peak_dbtp: number | null;
  loudness_range_lu: number | null;
  // not read by a library page:
  params?: Record<string, unknown>;
  engine_meta?: Record<string, unknown>;
  channels?: number;
  mime_type?: string;
  size_bytes?: string;
  storage_key?: string;
  renditions?: TrackEntity['renditions'];
  peaks?: Buffer | null;
}

/**
 * A row as the entity (a library page's rows lack the detail columns: they stay
 * undefined). A plain object of the entity's shape, built in one literal: a library page
 * maps a hundred of them per request.
 */
function fromRow(row: TrackRow, peaks: Buffer | null | undefined = row.peaks): TrackEntity {
  return {
    id: row.id,
    userId: row.user_id,
    generationId: row.generation_id,
    takeIndex: row.take_index,
    title: row.title,
    promptRaw: row.prompt_raw,
    promptExpanded: row.prompt_expanded,
    params: row.params,
    engine: row.engine,
    engineMeta: row.engine_meta,
    durationSeconds: row.duration_seconds,
    sampleRate: row.sample_rate,
    channels: row.channels,
    format: row.format,
    mimeType: row.mime_type,
    sizeBytes: row.size_bytes === undefined ? undefined : Number(row.size_bytes),
    storageKey: row.storage_key,
    renditions: row.renditions,
    createdAt: row.created_at,
    loudnessIntegratedLufs: row.loudness_integrated_lufs,
    loudnessTruePeakDbtp: row.loudness_true_peak_dbtp,
    loudnessRangeLu: row.loudness_range_lu,
    peaks,
  } as TrackEntity;
}

/** A library row: the list columns and whether the track has a waveform (not the waveform itself). */
type ListRow = TrackRow & { has_peaks: boolean; is_loop: boolean | null };

/** An empty buffer stands for "has peaks" so `peaks_url` is offered without loading them. */
const PEAKS_NOT_LOADED = Buffer.alloc(0);
const fromListRow = (row: ListRow): TrackEntity => ({ ...fromRow(row, row.has_peaks ? PEAKS_NOT_LOADED : null), ...(row.is_loop ? { params: { loop: true } } : {}) });

/**
 * The caller's track `:id` (no peaks), read by the statement that authenticates the
 * request: a stream or download costs one database round trip at most (AuthCache). 404 like {@link TrackRepository.findOwned}.
 */
export const OWNED_TRACK: OwnedLookup<TrackEntity> = {
  name: 'track',
  table: 'tracks',
  columns: TRACK_COLUMN_LIST,
  param: 'id',
  fromRow: (row) => fromRow(row as unknown as TrackRow),
  notFound: trackNotFound,
};

/** `%`, `_` and `\` match themselves in a LIKE pattern. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A keyset position in a newest-first or oldest-first walk. */
export interface TrackKeyset {
  createdAt: Date;
  id: string;
}

/** What a deleted track was: enough for its webhook event and the removal of its files. */
export interface DeletedTrack {
  id: string;
  generationId: string | null;
  takeIndex: number;
  title: string;
  /** the original and every rendition */
  files: string[];
  deletedAt: Date;
}

/** A track waiting for its loudness. */
export interface UnmeasuredTrack {
  id: string;
  storageKey: string;
  format: string;
  createdAt: Date;
}

/** A Space's latency for one take it rendered (milliseconds, null where it did not say). */
export interface SpaceTiming {
  engine: string;
  queueMs: number | null;
  processingMs: number | null;
  totalMs: number | null;
}

/**
 * The `tracks` table: takes stored by the worker, a user's library (pages, search,
 * look-ups), renditions, loudness, and deletion. Methods that take `tx` run inside the
 * caller's transaction.
 */
@Injectable()
export class TrackRepository {
  constructor(private readonly sql: Sql) {}

  /** Inserts a job's takes; returns them as stored. */
  async insertTakes(takes: NewTrack[], tx: Sql = this.sql): Promise<TrackEntity[]> {
    const stored: TrackEntity[] = [];
    for (const take of takes) {
      const row = await tx.one<{ created_at: Date }>(
        `INSERT INTO tracks (id, user_id, generation_id, take_index, title, prompt_raw, prompt_expanded, params, engine, engine_meta, duration_seconds, sample_rate,
           channels, format, mime_type, size_bytes, storage_key, peaks, loudness_integrated_lufs, loudness_true_peak_dbtp, loudness_range_lu, loudness_measured_at, loudness_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
         RETURNING created_at`,
        [
          take.id, take.userId, take.generationId, take.takeIndex, take.title, take.promptRaw, take.promptExpanded, take.params, take.engine, take.engineMeta,
          take.durationSeconds, take.sampleRate, take.channels, take.format, take.mimeType, take.sizeBytes, take.storageKey, take.peaks,
          take.loudnessIntegratedLufs, take.loudnessTruePeakDbtp, take.loudnessRangeLu, take.loudnessMeasuredAt, take.loudnessError,
        ],
      );
      stored.push({ ...take, renditions: {}, createdAt: row?.created_at ?? new Date() });
    }
    return stored;
  }

  /**
   * Up to `limit` tracks without loudness, oldest first after `after`, locked for the
   * caller's transaction; rows another transaction holds are skipped, so several
   * workers share the backlog.
   */
  lockUnmeasured(limit: number, after: TrackKeyset | null, tx: Sql): Promise<UnmeasuredTrack[]> {
    return tx.rows<UnmeasuredTrack>(
      `SELECT id, storage_key AS "storageKey", format, created_at AS "createdAt" FROM tracks
       WHERE loudness_measured_at IS NULL AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
       ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit, after?.createdAt ?? null, after?.id ?? null],
    );
  }

  async saveLoudness(id: string, loudness: LoudnessColumns, tx: Sql = this.sql): Promise<void> {
    await tx.run(
      `UPDATE tracks SET loudness_integrated_lufs = $2, loudness_true_peak_dbtp = $3, loudness_range_lu = $4, loudness_measured_at = $5, loudness_error = $6 WHERE id = $1`,
      [id, loudness.loudnessIntegratedLufs, loudness.loudnessTruePeakDbtp, loudness.loudnessRangeLu, loudness.loudnessMeasuredAt, loudness.loudnessError],
    );
  }

  /** Track ids per generation, in take order. */
  async idsByGeneration(generationIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (!generationIds.length) return result;
    const rows = await this.sql.rows<{ id: string; generation_id: string }>(
      `SELECT id, generation_id FROM tracks WHERE generation_id = ANY($1::uuid[]) ORDER BY take_index`,
      [generationIds],
    );
    for (const row of rows) {
      const list = result.get(row.generation_id) ?? [];
      list.push(row.id);
      result.set(row.generation_id, list);
    }
    return result;
  }

  /**
   * A newest-first page of the user's tracks (one more than `limit` when there is a next
   * page), keyset on (created_at, id) on the (user_id, created_at DESC, id DESC) index:
   * as fast 90,000 tracks deep as on the first page. `q` matches title or prompt as a
   * case-insensitive substring.
   */
  async page(userId: string, options: { limit: number; before?: TrackKeyset | null; q?: string }): Promise<TrackEntity[]> {
    const rows = await this.sql.rows<ListRow>(
      `${SELECT_LIST_ROWS}
       WHERE user_id = $1 AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
         AND ($5::text IS NULL OR (title || ' ' || prompt_raw) ILIKE $5)
       ORDER BY created_at DESC, id DESC LIMIT $2`,
      [userId, options.limit + 1, options.before?.createdAt ?? null, options.before?.id ?? null, options.q ? likePattern(options.q) : null],
    );
    return rows.map(fromListRow);
  }

  /** The user's tracks among `ids` (list columns, as `page` gives them), in no particular order. */
  async findManyOwned(userId: string, ids: string[]): Promise<TrackEntity[]> {
    if (!ids.length) return [];
    const rows = await this.sql.rows<ListRow>(`${SELECT_LIST_ROWS} WHERE user_id = $1 AND id = ANY($2::uuid[])`, [userId, ids]);
    return rows.map(fromListRow);
  }

  /** The user's track (with its peaks when asked), or null: another user's is not found either. */
  async findOwned(userId: string, id: string, options: { peaks?: boolean } = {}): Promise<TrackEntity | null> {
    const row = await this.sql.one<TrackRow>(`SELECT ${TRACK_COLUMNS}${options.peaks ? ', peaks' : ''} FROM tracks WHERE id = $1 AND user_id = $2`, [id, userId]);
    return row ? fromRow(row) : null;
  }

  /** Any user's track by id, with its peaks (share links). */
  async findById(id: string): Promise<TrackEntity | null> {
    const row = await this.sql.one<TrackRow>(`SELECT ${TRACK_COLUMNS}, peaks FROM tracks WHERE id = $1`, [id]);
    return row ? fromRow(row) : null;
  }

  async rename(id: string, title: string): Promise<boolean> {
    return (await this.sql.run(`UPDATE tracks SET title = $2 WHERE id = $1`, [id, title])) > 0;
  }

  /** Records a rendition made from the original. False when the track is gone meanwhile. */
  async addRendition(id: string, format: DownloadFormat, rendition: StoredRendition & { createdAt: string }): Promise<boolean> {
    return (await this.sql.run(`UPDATE tracks SET renditions = renditions || jsonb_build_object($2::text, $3::jsonb) WHERE id = $1`, [id, format, rendition])) > 0;
  }

  /** Deletes the user's track; null when they have no such track. */
  async delete(userId: string, id: string, tx: Sql = this.sql): Promise<DeletedTrack | null> {
    const row = await tx.one<{ id: string; generation_id: string | null; take_index: number; title: string; files: string[]; deleted_at: Date }>(
      `DELETE FROM tracks WHERE id = $1 AND user_id = $2
       RETURNING id, generation_id, take_index, title, ARRAY[storage_key] || ARRAY(SELECT r.value->>'key' FROM jsonb_each(renditions) r) AS files, now() AS deleted_at`,
      [id, userId],
    );
    return row ? { id: row.id, generationId: row.generation_id, takeIndex: row.take_index, title: row.title, files: row.files, deletedAt: row.deleted_at } : null;
  }

  /** How many tracks a user has and every file they are stored in (originals and renditions). */
  async filesOfUser(userId: string, tx: Sql = this.sql): Promise<{ tracks: number; keys: string[] }> {
    const row = await tx.one<{ tracks: number; keys: string[] }>(
      `WITH owned AS (SELECT storage_key, renditions FROM tracks WHERE user_id = $1)
       SELECT (SELECT count(*)::int FROM owned) AS tracks,
         ARRAY(SELECT storage_key FROM owned UNION ALL SELECT r.value->>'key' FROM owned, jsonb_each(owned.renditions) r) AS keys`,
      [userId],
    );
    return row ?? { tracks: 0, keys: [] };
  }

  /** The Space latencies recorded in the engine metadata of these generations' takes. */
  spaceTimings(generationIds: string[]): Promise<SpaceTiming[]> {
    return this.sql.rows<SpaceTiming>(
      `SELECT engine,
              (engine_meta #>> '{queue,waited_ms}')::float8 AS "queueMs",
              (engine_meta #>> '{timings_ms,space_processing}')::float8 AS "processingMs",
              (engine_meta #>> '{timings_ms,submit_to_result}')::float8 AS "totalMs"
       FROM tracks WHERE generation_id = ANY($1::uuid[]) AND engine_meta ? 'timings_ms'`,
      [generationIds],
    );
  }
}
