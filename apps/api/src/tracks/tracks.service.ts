import { Inject, Injectable, Logger } from '@nestjs/common';
import { LIBRARY_PAGE_DEFAULT, type DownloadFormat, type TrackDeletedWebhookData } from '@texttune/contracts';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { isUuid } from '../common/uuid';
import { Sql } from '../database/sql';
import { StorageGarbage } from '../storage/storage-garbage';
import { AUDIO_STORAGE, type AudioStorage } from '../storage/audio-storage';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { decodeAudio } from './audio-decode';
import { measureLoudness, unmeasuredLoudness, type LoudnessColumns } from './track-loudness';
import type { StoredRendition, TrackEntity } from './track.entity';
import { trackNotFound, TrackRepository, type NewTrack, type TrackKeyset } from './track.repository';
import { wavPeaks } from './waveform';

export { OWNED_TRACK, trackNotFound, type NewTrack } from './track.repository';

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

/** Tracks: the rules around the `tracks` table (analysis of a take, loudness backfill, deletion with its files and event). */
@Injectable()
export class TracksService {
  private readonly logger = new Logger(TracksService.name);

  constructor(
    private readonly tracks: TrackRepository,
    private readonly sql: Sql,
    @Inject(AUDIO_STORAGE) private readonly storage: AudioStorage,
    private readonly garbage: StorageGarbage,
    private readonly webhooks: WebhookOutbox,
  ) {}

  /** Inserts the takes of a job inside the caller's transaction (the one that marks it succeeded); returns them as stored. */
  insertTakes(takes: NewTrack[], tx: Sql): Promise<TrackEntity[]> {
    return this.tracks.insertTakes(takes, tx);
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
  async backfillLoudness(limit: number, after: TrackKeyset | null): Promise<{ examined: number; measured: number; last: TrackKeyset | null }> {
    return this.sql.transaction(async (tx) => {
      const rows = await this.tracks.lockUnmeasured(limit, after, tx);
      let measured = 0;
      for (const row of rows) {
        let bytes: Buffer;
        try {
          bytes = await this.readAll(row.storageKey);
        } catch (error) {
          this.logger.warn(`loudness backfill: could not read ${row.storageKey} (will retry): ${(error as Error).message}`);
          continue;
        }
        await this.tracks.saveLoudness(row.id, await this.loudnessOf(row.storageKey, row.format, bytes), tx);
        measured++;
        // A batch of long tracks is CPU work: let jobs and heartbeats in between tracks.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const last = rows[rows.length - 1];
      return { examined: rows.length, measured, last: last ? { createdAt: last.createdAt, id: last.id } : null };
    });
  }

  async readAll(storageKey: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.storage.read(storageKey)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Track ids per generation, in take order. */
  idsByGeneration(generationIds: string[]): Promise<Map<string, string[]>> {
    return this.tracks.idsByGeneration(generationIds);
  }

  /**
   * A newest-first page of the user's tracks. Keyset pagination on (created_at, id):
   * stable while tracks are added, and as fast 90,000 tracks deep as on the first page.
   * `q` matches title or prompt as a case-insensitive substring (any language).
   */
  async list(userId: string, query: LibraryQuery): Promise<{ rows: TrackEntity[]; nextCursor: string | null }> {
    const limit = query.limit ?? LIBRARY_PAGE_DEFAULT;
    const cursor = decodeCursor(query.cursor);
    const found = await this.tracks.page(userId, { limit, before: cursor, q: query.q?.trim() || undefined });
    const page = found.slice(0, limit);
    return { rows: page, nextCursor: found.length > limit ? encodeCursor(page[page.length - 1]) : null };
  }

  /** The user's tracks among `ids` (list columns, as `list` gives them), in no particular order. */
  async findManyOwned(userId: string, ids: string[]): Promise<TrackEntity[]> {
    return this.tracks.findManyOwned(userId, ids);
  }

  /** The user's track, or 404 (also for other users' tracks: no existence leak). */
  async findOwned(userId: string, id: string, options: { peaks?: boolean } = {}): Promise<TrackEntity> {
    if (!isUuid(id)) throw trackNotFound();
    const track = await this.tracks.findOwned(userId, id, options);
    if (!track) throw trackNotFound();
    return track;
  }

  /** Any track by id (share links), with its peaks. */
  async findById(id: string): Promise<TrackEntity | null> {
    if (!isUuid(id)) return null;
    return this.tracks.findById(id);
  }

  async siblings(track: TrackEntity): Promise<string[]> {
    if (!track.generationId) return [track.id];
    return (await this.idsByGeneration([track.generationId])).get(track.generationId) ?? [track.id];
  }

  async rename(userId: string, id: string, title: string): Promise<TrackEntity> {
    const track = await this.findOwned(userId, id, { peaks: true });
    if (!(await this.tracks.rename(track.id, title))) throw trackNotFound();
    track.title = title;
    return track;
  }

  /** Records a rendition made from the original. False when the track is gone meanwhile. */
  addRendition(id: string, format: DownloadFormat, rendition: StoredRendition & { createdAt: string }): Promise<boolean> {
    return this.tracks.addRendition(id, format, rendition);
  }

  /**
   * Deletes the track, then its files. The row and the outbox entries for its files go
   * in one transaction, so a file is removed only once the row is gone, and a removal
   * that fails (or a crash) is retried by the storage garbage sweeper.
   */
  async delete(userId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw trackNotFound();
    const keys = await this.sql.transaction(async (tx) => {
      const track = await this.tracks.delete(userId, id, tx);
      if (!track) throw trackNotFound();
      await this.garbage.enqueue(track.files, tx);
      const event: TrackDeletedWebhookData = { track: { id: track.id, job_id: track.generationId, take_index: track.takeIndex, title: track.title, deleted_at: track.deletedAt.toISOString() } };
      await this.webhooks.record(tx, userId, 'track.deleted', event, track.deletedAt);
      return track.files;
    });
    await this.garbage.collect(keys);
  }

  /** How many tracks a user has and every file they are stored in: what deleting the account removes (in `tx`'s transaction). */
  filesOfUser(userId: string, tx: Sql): Promise<{ tracks: number; keys: string[] }> {
    return this.tracks.filesOfUser(userId, tx);
  }
}
