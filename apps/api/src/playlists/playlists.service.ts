import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PLAYLISTS_PER_USER_MAX, TRACKS_PER_PLAYLIST_MAX, type PlaylistResponse, type PlaylistSummary } from '@texttune/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/cursor';
import { toLibraryItem } from '../tracks/track-response';
import type { TrackEntity } from '../tracks/track.entity';
import { trackNotFound, TracksService } from '../tracks/tracks.service';

export const playlistNotFound = () => new ApiError(404, 'not_found', 'No such playlist (it may have been deleted).');

interface SummaryRow {
  id: string;
  title: string;
  created_at: Date;
  updated_at: Date;
  track_count: string;
  duration: number | null;
}

const SUMMARY_SELECT = `SELECT p.id, p.title, p.created_at, p.updated_at, count(pt.track_id) AS track_count, sum(t.duration_seconds) AS duration
  FROM playlists p LEFT JOIN playlist_tracks pt ON pt.playlist_id = p.id LEFT JOIN tracks t ON t.id = pt.track_id`;

function toSummary(row: SummaryRow): PlaylistSummary {
  return {
    id: row.id,
    title: row.title,
    track_count: Number(row.track_count),
    duration: Math.round((row.duration ?? 0) * 100) / 100,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/**
 * Playlists. Every change runs in a transaction holding the playlist's row lock, so
 * concurrent changes to one playlist apply one after another and its limits hold.
 */
@Injectable()
export class PlaylistsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tracks: TracksService,
  ) {}

  async create(userId: string, title: string): Promise<PlaylistResponse> {
    const id = await this.dataSource.transaction(async (manager) => {
      // One creation at a time per user, so the limit cannot be overshot by a burst.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('playlists:' || $1::text))`, [userId]);
      const [{ count }] = (await manager.query(`SELECT count(*)::int AS count FROM playlists WHERE user_id = $1`, [userId])) as { count: number }[];
      if (count >= PLAYLISTS_PER_USER_MAX) {
        throw new ApiError(409, 'limit_exceeded', `You already have ${PLAYLISTS_PER_USER_MAX} playlists, the most one account may keep; delete one first.`, { max: PLAYLISTS_PER_USER_MAX });
      }
      const [row] = (await manager.query(`INSERT INTO playlists (user_id, title) VALUES ($1, $2) RETURNING id`, [userId, title])) as { id: string }[];
      return row.id;
    });
    return this.get(userId, id);
  }

  async list(userId: string): Promise<PlaylistSummary[]> {
    const rows = (await this.dataSource.query(`${SUMMARY_SELECT} WHERE p.user_id = $1 GROUP BY p.id ORDER BY p.created_at DESC, p.id DESC`, [userId])) as SummaryRow[];
    return rows.map(toSummary);
  }

  /** The playlist with its tracks in order; 404 for other users' playlists. */
  async get(userId: string, id: string): Promise<PlaylistResponse> {
    if (!isUuid(id)) throw playlistNotFound();
    const [row] = (await this.dataSource.query(`${SUMMARY_SELECT} WHERE p.id = $1 AND p.user_id = $2 GROUP BY p.id`, [id, userId])) as SummaryRow[];
    if (!row) throw playlistNotFound();
    const tracks = await this.orderedTracks(id, userId);
    return { ...toSummary(row), tracks: tracks.map(toLibraryItem) };
  }

  /** The tracks of a playlist in order (the owner's; a playlist only ever holds its owner's tracks). */
  async orderedTracks(playlistId: string, ownerId: string): Promise<TrackEntity[]> {
    const order = (await this.dataSource.query(`SELECT track_id FROM playlist_tracks WHERE playlist_id = $1 ORDER BY position`, [playlistId])) as { track_id: string }[];
    const byId = new Map((await this.tracks.findManyOwned(ownerId, order.map((o) => o.track_id))).map((t) => [t.id, t]));
    return order.map((o) => byId.get(o.track_id)).filter((t): t is TrackEntity => t !== undefined);
  }

  async contains(playlistId: string, trackId: string): Promise<boolean> {
    if (!isUuid(trackId)) return false;
    return ((await this.dataSource.query(`SELECT 1 FROM playlist_tracks WHERE playlist_id = $1 AND track_id = $2`, [playlistId, trackId])) as unknown[]).length > 0;
  }

  async rename(userId: string, id: string, title: string): Promise<PlaylistResponse> {
    await this.change(userId, id, async () => undefined, { title });
    return this.get(userId, id);
  }

  async delete(userId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw playlistNotFound();
    const [, affected] = (await this.dataSource.query(`DELETE FROM playlists WHERE id = $1 AND user_id = $2`, [id, userId])) as [unknown, number];
    if (!affected) throw playlistNotFound();
  }

  /** Inserts the track at the 0-based `position` (the end when absent or past the end). */
  async addTrack(userId: string, id: string, trackId: string, position?: number): Promise<PlaylistResponse> {
    await this.change(userId, id, async (manager) => {
      if (!isUuid(trackId)) throw trackNotFound();
      const owned = (await manager.query(`SELECT 1 FROM tracks WHERE id = $1 AND user_id = $2`, [trackId, userId])) as unknown[];
      if (!owned.length) throw trackNotFound();
      const [{ count, present }] = (await manager.query(
        `SELECT count(*)::int AS count, bool_or(track_id = $2) AS present FROM playlist_tracks WHERE playlist_id = $1`,
        [id, trackId],
      )) as { count: number; present: boolean | null }[];
      if (present) throw new ApiError(409, 'conflict', 'This track is already in the playlist; a track appears once per playlist.');
      if (count >= TRACKS_PER_PLAYLIST_MAX) {
        throw new ApiError(409, 'limit_exceeded', `A playlist holds at most ${TRACKS_PER_PLAYLIST_MAX} tracks; start another playlist.`, { max: TRACKS_PER_PLAYLIST_MAX });
      }
      let key: number;
      const [at] =
        position === undefined || position >= count
          ? []
          : ((await manager.query(`SELECT position FROM playlist_tracks WHERE playlist_id = $1 ORDER BY position OFFSET $2 LIMIT 1`, [id, position])) as { position: number }[]);
      if (at) {
        key = at.position;
        await manager.query(`UPDATE playlist_tracks SET position = position + 1 WHERE playlist_id = $1 AND position >= $2`, [id, key]);
      } else {
        const [{ next }] = (await manager.query(`SELECT coalesce(max(position) + 1, 0) AS next FROM playlist_tracks WHERE playlist_id = $1`, [id])) as { next: number }[];
        key = next;
      }
      await manager.query(`INSERT INTO playlist_tracks (playlist_id, track_id, position) VALUES ($1, $2, $3)`, [id, trackId, key]);
    });
    return this.get(userId, id);
  }

  async removeTrack(userId: string, id: string, trackId: string): Promise<void> {
    await this.change(userId, id, async (manager) => {
      const [, affected] = isUuid(trackId)
        ? ((await manager.query(`DELETE FROM playlist_tracks WHERE playlist_id = $1 AND track_id = $2`, [id, trackId])) as [unknown, number])
        : [null, 0];
      if (!affected) throw new ApiError(404, 'not_found', 'This track is not in the playlist.');
    });
  }

  /** Sets the whole order in one statement; `trackIds` must name every track of the playlist once. */
  async reorder(userId: string, id: string, trackIds: string[]): Promise<PlaylistResponse> {
    await this.change(userId, id, async (manager) => {
      const current = ((await manager.query(`SELECT track_id FROM playlist_tracks WHERE playlist_id = $1`, [id])) as { track_id: string }[]).map((r) => r.track_id);
      const wanted = new Set(trackIds);
      if (wanted.size !== trackIds.length || wanted.size !== current.length || !current.every((t) => wanted.has(t))) {
        throw new ApiError(
          409,
          'conflict',
          `The new order must list every track of the playlist exactly once (it has ${current.length}); reload the playlist and try again.`,
          { expected: current.length, given: trackIds.length },
        );
      }
      await manager.query(
        `UPDATE playlist_tracks pt SET position = o.ord - 1
         FROM unnest($2::uuid[]) WITH ORDINALITY AS o(track_id, ord)
         WHERE pt.playlist_id = $1 AND pt.track_id = o.track_id`,
        [id, trackIds],
      );
    });
    return this.get(userId, id);
  }

  /** Runs `work` with the playlist locked (404 unless the user owns it), then touches it. */
  private async change(userId: string, id: string, work: (manager: EntityManager) => Promise<void>, fields: { title?: string } = {}): Promise<void> {
    if (!isUuid(id)) throw playlistNotFound();
    await this.dataSource.transaction(async (manager) => {
      const locked = (await manager.query(`SELECT id FROM playlists WHERE id = $1 AND user_id = $2 FOR UPDATE`, [id, userId])) as unknown[];
      if (!locked.length) throw playlistNotFound();
      await work(manager);
      await manager.query(`UPDATE playlists SET updated_at = date_trunc('milliseconds', now()), title = coalesce($2, title) WHERE id = $1`, [id, fields.title ?? null]);
    });
  }
}
