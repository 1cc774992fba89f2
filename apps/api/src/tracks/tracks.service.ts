import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { LIBRARY_PAGE_DEFAULT, type DownloadFormat, type TrackDeletedWebhookData } from '@texttune/contracts';
import { In, type DataSource, type EntityManager, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { OwnedLookup } from '../auth/owned-lookup';
import { ApiError } from '../common/api-error';
import { decodeCursor, encodeCursor, isUuid } from '../common/cursor';
import { queryNamed, type NamedStatement } from '../database/named-statement';
import { StorageGarbage } from '../storage/storage-garbage';
import { AUDIO_STORAGE, type AudioStorage } from '../storage/audio-storage';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { decodeAudio } from './audio-decode';
import { measureLoudness, unmeasuredLoudness, type LoudnessColumns } from './track-loudness';
import { TrackEntity } from './track.entity';
import { wavPeaks } from './waveform';

export type NewTrack = Omit<TrackEntity, 'id' | 'createdAt' | 'peaks' | 'renditions'> & { id: string; peaks: Buffer | null };

/** What is computed from a stored take's audio once, when it is written. */
export interface TakeAnalysis {
  peaks: Buffer | null;
  loudness: LoudnessColumns;
}

/** Loudness not measured yet: the worker's backfill measures it. */
const LOUDNESS_PENDING: LoudnessColumns = { loudnessIntegratedLufs: null, loudnessTruePeakDbtp: null, loudnessRangeLu: null, loudnessMeasuredAt: null, loudnessError: null };

export interface LibraryQuery {
  limit?: number;
  cursor?: string;
  q?: string;
}


/** The loudness a response shows. */
const LOUDNESS_COLUMN_LIST = ['loudness_integrated_lufs', 'loudness_true_peak_dbtp', 'loudness_range_lu'] as const;

/** The columns a library page needs (no peaks, no engine metadata). */
const LIST_COLUMNS = `id, user_id, generation_id, take_index, title, prompt_raw, prompt_expanded, engine, duration_seconds, sample_rate, format, created_at, ${LOUDNESS_COLUMN_LIST.join(', ')}`;

/** Library rows: the list columns, whether the track has a waveform (not the waveform itself) and whether it is a loop (not the rest of its params). */
const SELECT_LIST_ROWS = `SELECT ${LIST_COLUMNS}, peaks IS NOT NULL AS has_peaks, params->'loop' = 'true'::jsonb AS is_loop FROM tracks`;

/** A newest-first library page ($1 the user, $2 the row limit) of the rows `where` keeps, on the (user_id, created_at DESC, id DESC) index. */
const libraryPage = (where: string) => `${SELECT_LIST_ROWS} WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $2`;

/** Every column but the peaks, as plain SQL reads them. */
const TRACK_COLUMN_LIST = ['id', 'user_id', 'generation_id', 'take_index', 'title', 'prompt_raw', 'prompt_expanded', 'params', 'engine', 'engine_meta',
  'duration_seconds', 'sample_rate', 'channels', 'format', 'mime_type', 'size_bytes', 'storage_key', 'renditions', 'created_at', ...LOUDNESS_COLUMN_LIST] as const;
const TRACK_COLUMNS = TRACK_COLUMN_LIST.join(', ');

/**
 * The statements of the most frequent requests (every stream, download and library
 * page), prepared once per connection. A library search is planned per query instead: its
 * best plan depends on the search text.
 */
const STATEMENTS = {
  owned: { name: 'tracks_owned', text: `SELECT ${TRACK_COLUMNS} FROM tracks WHERE id = $1 AND user_id = $2` },
  ownedWithPeaks: { name: 'tracks_owned_peaks', text: `SELECT ${TRACK_COLUMNS}, peaks FROM tracks WHERE id = $1 AND user_id = $2` },
  byIdWithPeaks: { name: 'tracks_by_id_peaks', text: `SELECT ${TRACK_COLUMNS}, peaks FROM tracks WHERE id = $1` },
  firstPage: { name: 'tracks_first_page', text: libraryPage('user_id = $1') },
  nextPage: { name: 'tracks_next_page', text: libraryPage('user_id = $1 AND (created_at, id) < ($3, $4)') },
} satisfies Record<string, NamedStatement>;

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

export const trackNotFound = () => new ApiError(404, 'not_found', 'No such track in your library (it may have been deleted).');

/**
 * The caller's track `:id` (no peaks), read by the statement that authenticates the
 * request: a stream or download costs one database round trip at most (AuthCache). 404 like {@link TracksService.findOwned}.
 */
export const OWNED_TRACK: OwnedLookup<TrackEntity> = {
  name: 'track',
  table: 'tracks',
  columns: TRACK_COLUMN_LIST,
  param: 'id',
  fromRow: (row) => fromRow(row as unknown as TrackRow),
  notFound: trackNotFound,
};

/** The stored files (`key`) of the track rows of `rows` (a CTE of storage_key and renditions): each original and each rendition. */
const trackFiles = (rows: string) => `SELECT storage_key AS key FROM ${rows} UNION ALL SELECT r.value->>'key' FROM ${rows}, jsonb_each(${rows}.renditions) r`;

/** `%`, `_` and `\` match themselves in a LIKE pattern. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Tracks. Other modules use this service, never the repository. */
@Injectable()
export class TracksService {
  private readonly logger = new Logger(TracksService.name);

  constructor(
    @InjectRepository(TrackEntity) private readonly tracks: Repository<TrackEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AUDIO_STORAGE) private readonly storage: AudioStorage,
    private readonly garbage: StorageGarbage,
    private readonly webhooks: WebhookOutbox,
  ) {}

  /** Inserts the takes of a job inside the caller's transaction (the one that marks it succeeded); returns them as stored. */
  async insertTakes(manager: EntityManager, takes: NewTrack[]): Promise<TrackEntity[]> {
    if (!takes.length) return [];
    // (TypeORM's deep-partial type does not accept jsonb Record columns; the rows are complete.)
    const { generatedMaps } = await manager.insert(TrackEntity, takes as QueryDeepPartialEntity<TrackEntity>[]);
    return takes.map((take, i) => ({ ...take, createdAt: (generatedMaps[i]?.createdAt as Date | undefined) ?? new Date() }) as TrackEntity);
  }

  /**
   * The waveform and the loudness of a stored take, computed once when it is written:
   * from the bytes the engine gave when it gave a buffer, else read back from storage
   * (the stored bytes are only read, never changed). No waveform when the format is not
   * WAV; loudness null with a reason when the audio cannot be decoded or is silent, and
   * left for the backfill when the file cannot be read back.
   */
  async analyseTake(storageKey: string, format: string, bytes?: Buffer): Promise<TakeAnalysis> {
    let data: Buffer;
    try {
      data = bytes ?? (await this.readAll(storageKey));
    } catch (error) {
      this.logger.warn(`could not read ${storageKey} back for its waveform and loudness: ${(error as Error).message}`);
      return { peaks: null, loudness: LOUDNESS_PENDING };
    }
    let peaks: Buffer | null = null;
    try {
      peaks = format === 'wav' ? wavPeaks(data) : null;
    } catch (error) {
      this.logger.warn(`no waveform for ${storageKey}: ${(error as Error).message}`);
    }
    return { peaks, loudness: await this.loudnessOf(storageKey, format, data) };
  }

  /** The loudness columns of a file's bytes: measured, or null values with the reason. */
  async loudnessOf(storageKey: string, format: string, bytes: Buffer): Promise<LoudnessColumns> {
    try {
      return measureLoudness(await decodeAudio(bytes, format));
    } catch (error) {
      const reason = `could not decode the ${format} audio: ${(error as Error).message}`;
      this.logger.warn(`no loudness for ${storageKey}: ${reason}`);
      return unmeasuredLoudness(reason);
    }
  }

  /**
   * Measures up to `limit` tracks that have no loudness yet (made before it was
   * measured, or whose file could not be read back then), oldest first after `after`.
   * The rows are locked for the batch (SKIP LOCKED), so backfills in several workers
   * share the work. A file that cannot be read is left for a later pass. Returns how
   * many rows were looked at and the last one, to continue from.
   */
  async backfillLoudness(limit: number, after: { createdAt: Date; id: string } | null): Promise<{ examined: number; measured: number; last: { createdAt: Date; id: string } | null }> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT id, storage_key, format, created_at FROM tracks
         WHERE loudness_measured_at IS NULL ${after ? 'AND (created_at, id) > ($2, $3)' : ''}
         ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        after ? [limit, after.createdAt, after.id] : [limit],
      )) as { id: string; storage_key: string; format: string; created_at: Date }[];
      let measured = 0;
      for (const row of rows) {
        let bytes: Buffer;
        try {
          bytes = await this.readAll(row.storage_key);
        } catch (error) {
          this.logger.warn(`loudness backfill: could not read ${row.storage_key} (will retry): ${(error as Error).message}`);
          continue;
        }
        const loudness = await this.loudnessOf(row.storage_key, row.format, bytes);
        await manager.query(
          `UPDATE tracks SET loudness_integrated_lufs = $2, loudness_true_peak_dbtp = $3, loudness_range_lu = $4, loudness_measured_at = $5, loudness_error = $6 WHERE id = $1`,
          [row.id, loudness.loudnessIntegratedLufs, loudness.loudnessTruePeakDbtp, loudness.loudnessRangeLu, loudness.loudnessMeasuredAt, loudness.loudnessError],
        );
        measured++;
        // A batch of long tracks is CPU work: let jobs and heartbeats in between tracks.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const last = rows[rows.length - 1];
      return { examined: rows.length, measured, last: last ? { createdAt: last.created_at, id: last.id } : null };
    });
  }

  async readAll(storageKey: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.storage.read(storageKey)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Track ids per generation, in take order. */
  async idsByGeneration(generationIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (!generationIds.length) return result;
    const rows = await this.tracks.find({ select: { id: true, generationId: true, takeIndex: true }, where: { generationId: In(generationIds) }, order: { takeIndex: 'ASC' } });
    for (const row of rows) {
      if (!row.generationId) continue;
      const list = result.get(row.generationId) ?? [];
      list.push(row.id);
      result.set(row.generationId, list);
    }
    return result;
  }

  /**
   * A newest-first page of the user's tracks. Keyset pagination on (created_at, id):
   * stable while tracks are added, and as fast 90,000 tracks deep as on the first page.
   * `q` matches title or prompt as a case-insensitive substring (any language).
   */
  async list(userId: string, query: LibraryQuery): Promise<{ rows: TrackEntity[]; nextCursor: string | null }> {
    const limit = query.limit ?? LIBRARY_PAGE_DEFAULT;
    const cursor = decodeCursor(query.cursor);
    const q = query.q?.trim();
    const params: unknown[] = [userId, limit + 1];
    if (cursor) params.push(cursor.createdAt, cursor.id);
    let rows: ListRow[];
    if (q) {
      const where = ['user_id = $1'];
      if (cursor) where.push('(created_at, id) < ($3, $4)');
      where.push(`(title || ' ' || prompt_raw) ILIKE $${params.push(likePattern(q))}`);
      rows = (await this.tracks.query(libraryPage(where.join(' AND ')), params)) as ListRow[];
    } else {
      rows = await queryNamed<ListRow>(this.dataSource, cursor ? STATEMENTS.nextPage : STATEMENTS.firstPage, params);
    }
    const found = rows.map(fromListRow);
    const page = found.slice(0, limit);
    return { rows: page, nextCursor: found.length > limit ? encodeCursor(page[page.length - 1]) : null };
  }

  /** The user's tracks among `ids` (list columns, as `list` gives them), in no particular order. */
  async findManyOwned(userId: string, ids: string[]): Promise<TrackEntity[]> {
    if (!ids.length) return [];
    const found = (await this.tracks.query(`${SELECT_LIST_ROWS} WHERE user_id = $1 AND id = ANY($2::uuid[])`, [userId, ids])) as ListRow[];
    return found.map(fromListRow);
  }

  /** The user's track, or 404 (also for other users' tracks: no existence leak). */
  async findOwned(userId: string, id: string, options: { peaks?: boolean } = {}): Promise<TrackEntity> {
    if (!isUuid(id)) throw trackNotFound();
    // Every stream and download request starts here: one prepared statement, no query builder.
    const [row] = await queryNamed<TrackRow>(this.dataSource, options.peaks ? STATEMENTS.ownedWithPeaks : STATEMENTS.owned, [id, userId]);
    if (!row) throw trackNotFound();
    return fromRow(row);
  }

  /** Any track by id (share links), with its peaks. */
  async findById(id: string): Promise<TrackEntity | null> {
    if (!isUuid(id)) return null;
    const [row] = await queryNamed<TrackRow>(this.dataSource, STATEMENTS.byIdWithPeaks, [id]);
    return row ? fromRow(row) : null;
  }

  async siblings(track: TrackEntity): Promise<string[]> {
    if (!track.generationId) return [track.id];
    return (await this.idsByGeneration([track.generationId])).get(track.generationId) ?? [track.id];
  }

  async rename(userId: string, id: string, title: string): Promise<TrackEntity> {
    const track = await this.findOwned(userId, id, { peaks: true });
    await this.tracks.update({ id: track.id }, { title });
    track.title = title;
    return track;
  }

  /** Records a rendition made from the original. False when the track is gone meanwhile. */
  async addRendition(id: string, format: DownloadFormat, rendition: { key: string; size: number; createdAt: string }): Promise<boolean> {
    const [, affected] = (await this.tracks.query(`UPDATE tracks SET renditions = renditions || jsonb_build_object($2::text, $3::jsonb) WHERE id = $1`, [
      id,
      format,
      JSON.stringify(rendition),
    ])) as [unknown, number];
    return affected > 0;
  }

  /**
   * Deletes the track, then its files. The row and the outbox entries for its files go
   * in one transaction, so a file is removed only once the row is gone, and a removal
   * that fails (or a crash) is retried by the storage garbage sweeper.
   */
  async delete(userId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw trackNotFound();
    const keys = await this.dataSource.transaction(async (manager) => {
      const [gone] = (await manager.query(`DELETE FROM tracks WHERE id = $1 AND user_id = $2 RETURNING id, generation_id, take_index, title, storage_key, renditions, now() AS deleted_at`, [
        id,
        userId,
      ])) as [{ id: string; generation_id: string | null; take_index: number; title: string; storage_key: string; renditions: TrackEntity['renditions']; deleted_at: Date }[], number];
      if (!gone.length) throw trackNotFound();
      const [track] = gone;
      const files = [track.storage_key, ...Object.values(track.renditions ?? {}).map((rendition) => rendition.key)];
      await this.garbage.enqueue(manager, files);
      const event: TrackDeletedWebhookData = { track: { id: track.id, job_id: track.generation_id, take_index: track.take_index, title: track.title, deleted_at: track.deleted_at.toISOString() } };
      await this.webhooks.record(manager, userId, 'track.deleted', event, track.deleted_at);
      return files;
    });
    await this.garbage.collect(keys);
  }

  /** How many tracks a user has and every file they are stored in: what deleting the account removes (in `manager`'s transaction). */
  async filesOfUser(manager: EntityManager, userId: string): Promise<{ tracks: number; keys: string[] }> {
    const [row] = (await manager.query(
      `WITH owned AS (SELECT storage_key, renditions FROM tracks WHERE user_id = $1)
       SELECT (SELECT count(*)::int FROM owned) AS tracks, ARRAY(${trackFiles('owned')}) AS keys`,
      [userId],
    )) as { tracks: number; keys: string[] }[];
    return row;
  }
}
