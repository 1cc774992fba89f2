import { Injectable } from '@nestjs/common';
import { PLAYLISTS_PER_USER_MAX, TRACKS_PER_PLAYLIST_MAX, type PlaylistResponse, type PlaylistSummary } from '@texttune/contracts';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/uuid';
import { Sql } from '../database/sql';
import { toLibraryItem } from '../tracks/track-response';
import type { TrackEntity } from '../tracks/track.entity';
import { trackNotFound, TracksService } from '../tracks/tracks.service';
import { PlaylistRepository, type PlaylistSummaryRow } from './playlist.repository';

export const playlistNotFound = () => new ApiError(404, 'not_found', 'No such playlist (it may have been deleted).');

function toSummary(row: PlaylistSummaryRow): PlaylistSummary {
  return {
    id: row.id,
    title: row.title,
    track_count: row.track_count,
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
    private readonly sql: Sql,
    private readonly playlists: PlaylistRepository,
    private readonly tracks: TracksService,
  ) {}

  async create(userId: string, title: string): Promise<PlaylistResponse> {
    const id = await this.sql.transaction(async (tx) => {
      // One creation at a time per user, so the limit cannot be overshot by a burst.
      await this.playlists.lockCreationsOf(userId, tx);
      if ((await this.playlists.countOf(userId, tx)) >= PLAYLISTS_PER_USER_MAX) {
        throw new ApiError(409, 'limit_exceeded', `You already have ${PLAYLISTS_PER_USER_MAX} playlists, the most one account may keep; delete one first.`, { max: PLAYLISTS_PER_USER_MAX });
      }
      return this.playlists.create(userId, title, tx);
    });
    return this.get(userId, id);
  }

  async list(userId: string): Promise<PlaylistSummary[]> {
    return (await this.playlists.summariesOf(userId)).map(toSummary);
  }

  /** The playlist with its tracks in order; 404 for other users' playlists. */
  async get(userId: string, id: string): Promise<PlaylistResponse> {
    if (!isUuid(id)) throw playlistNotFound();
    const row = await this.playlists.summary(userId, id);
    if (!row) throw playlistNotFound();
    const tracks = await this.orderedTracks(id, userId);
    return { ...toSummary(row), tracks: tracks.map(toLibraryItem) };
  }

  /** The tracks of a playlist in order (the owner's; a playlist only ever holds its owner's tracks). */
  async orderedTracks(playlistId: string, ownerId: string): Promise<TrackEntity[]> {
    const order = await this.playlists.trackIdsOf(playlistId);
    const byId = new Map((await this.tracks.findManyOwned(ownerId, order)).map((t) => [t.id, t]));
    return order.map((trackId) => byId.get(trackId)).filter((t): t is TrackEntity => t !== undefined);
  }

  async contains(playlistId: string, trackId: string): Promise<boolean> {
    if (!isUuid(trackId)) return false;
    return this.playlists.contains(playlistId, trackId);
  }

  async rename(userId: string, id: string, title: string): Promise<PlaylistResponse> {
    await this.change(userId, id, async () => undefined, { title });
    return this.get(userId, id);
  }

  async delete(userId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw playlistNotFound();
    if (!(await this.playlists.delete(userId, id))) throw playlistNotFound();
  }

  /** Inserts the track at the 0-based `position` (the end when absent or past the end). */
  async addTrack(userId: string, id: string, trackId: string, position?: number): Promise<PlaylistResponse> {
    await this.change(userId, id, async (tx) => {
      if (!isUuid(trackId) || !(await this.playlists.userOwnsTrack(userId, trackId, tx))) throw trackNotFound();
      const current = await this.playlists.trackIdsOf(id, tx);
      if (current.includes(trackId)) throw new ApiError(409, 'conflict', 'This track is already in the playlist; a track appears once per playlist.');
      if (current.length >= TRACKS_PER_PLAYLIST_MAX) {
        throw new ApiError(409, 'limit_exceeded', `A playlist holds at most ${TRACKS_PER_PLAYLIST_MAX} tracks; start another playlist.`, { max: TRACKS_PER_PLAYLIST_MAX });
      }
      await this.playlists.insertTrack(id, trackId, position !== undefined && position < current.length ? position : undefined, tx);
    });
    return this.get(userId, id);
  }

  async removeTrack(userId: string, id: string, trackId: string): Promise<void> {
    await this.change(userId, id, async (tx) => {
      if (!isUuid(trackId) || !(await this.playlists.removeTrack(id, trackId, tx))) throw new ApiError(404, 'not_found', 'This track is not in the playlist.');
    });
  }

  /** Sets the whole order in one statement; `trackIds` must name every track of the playlist once. */
  async reorder(userId: string, id: string, trackIds: string[]): Promise<PlaylistResponse> {
    await this.change(userId, id, async (tx) => {
      const current = await this.playlists.trackIdsOf(id, tx);
      const wanted = new Set(trackIds);
      if (wanted.size !== trackIds.length || wanted.size !== current.length || !current.every((t) => wanted.has(t))) {
        throw new ApiError(
          409,
          'conflict',
          `The new order must list every track of the playlist exactly once (it has ${current.length}); reload the playlist and try again.`,
          { expected: current.length, given: trackIds.length },
        );
      }
      await this.playlists.setOrder(id, trackIds, tx);
    });
    return this.get(userId, id);
  }

  /** Runs `work` with the playlist locked (404 unless the user owns it), then touches it. */
  private async change(userId: string, id: string, work: (tx: Sql) => Promise<void>, fields: { title?: string } = {}): Promise<void> {
    if (!isUuid(id)) throw playlistNotFound();
    await this.sql.transaction(async (tx) => {
      if (!(await this.playlists.lockOwned(userId, id, tx))) throw playlistNotFound();
      await work(tx);
      await this.playlists.touch(id, fields.title ?? null, tx);
    });
  }
}
