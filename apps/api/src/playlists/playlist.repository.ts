import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Sql } from '../database/sql';
import { PlaylistEntity } from './playlist.entity';

/** A playlist with its track count and total duration (seconds). */
export interface PlaylistSummaryRow {
  id: string;
  title: string;
  created_at: Date;
  updated_at: Date;
  track_count: number;
  duration: number | null;
}

const SUMMARY_SELECT = `SELECT p.id, p.title, p.created_at, p.updated_at, count(pt.track_id)::int AS track_count, sum(t.duration_seconds) AS duration
  FROM playlists p LEFT JOIN playlist_tracks pt ON pt.playlist_id = p.id LEFT JOIN tracks t ON t.id = pt.track_id`;

/**
 * Playlists (`playlists`) and their ordered entries (`playlist_tracks`). Changes to one
 * playlist run in a transaction that first takes its row lock ({@link lockOwned}).
 */
@Injectable()
export class PlaylistRepository {
  constructor(
    private readonly sql: Sql,
    @InjectRepository(PlaylistEntity) private readonly playlists: Repository<PlaylistEntity>,
  ) {}

  /** Holds the user's playlist creations back until `tx` ends: one at a time, so a count read in `tx` stays true. */
  async lockCreationsOf(userId: string, tx: Sql): Promise<void> {
    await tx.run(`SELECT pg_advisory_xact_lock(hashtext('playlists:' || $1::text))`, [userId]);
  }

  async countOf(userId: string, tx: Sql = this.sql): Promise<number> {
    return (await tx.one<{ count: number }>(`SELECT count(*)::int AS count FROM playlists WHERE user_id = $1`, [userId]))!.count;
  }

  /** A new, empty playlist; its id. */
  async create(userId: string, title: string, tx: Sql = this.sql): Promise<string> {
    return (await tx.one<{ id: string }>(`INSERT INTO playlists (user_id, title) VALUES ($1, $2) RETURNING id`, [userId, title]))!.id;
  }

  /** The user's playlists, newest first. */
  summariesOf(userId: string): Promise<PlaylistSummaryRow[]> {
    return this.sql.rows<PlaylistSummaryRow>(`${SUMMARY_SELECT} WHERE p.user_id = $1 GROUP BY p.id ORDER BY p.created_at DESC, p.id DESC`, [userId]);
  }

  summary(userId: string, id: string): Promise<PlaylistSummaryRow | undefined> {
    return this.sql.one<PlaylistSummaryRow>(`${SUMMARY_SELECT} WHERE p.id = $1 AND p.user_id = $2 GROUP BY p.id`, [id, userId]);
  }

  findOwned(userId: string, id: string): Promise<PlaylistEntity | null> {
    return this.playlists.findOneBy({ id, userId });
  }

  findById(id: string): Promise<PlaylistEntity | null> {
    return this.playlists.findOneBy({ id });
  }

  /** Deletes the user's playlist (its entries and share links go with it); false when the user has none by that id. */
  async delete(userId: string, id: string): Promise<boolean> {
    return (await this.sql.run(`DELETE FROM playlists WHERE id = $1 AND user_id = $2`, [id, userId])) > 0;
  }

  /** Locks the user's playlist until `tx` ends; false when the user has none by that id. */
  async lockOwned(userId: string, id: string, tx: Sql): Promise<boolean> {
    return (await tx.one(`SELECT id FROM playlists WHERE id = $1 AND user_id = $2 FOR UPDATE`, [id, userId])) !== undefined;
  }

  /** Marks the playlist changed now, renaming it when `title` is given. */
  async touch(id: string, title: string | null, tx: Sql = this.sql): Promise<void> {
    await tx.run(`UPDATE playlists SET updated_at = date_trunc('milliseconds', now()), title = coalesce($2, title) WHERE id = $1`, [id, title]);
  }

  /** The track ids of the playlist, in its order. */
  async trackIdsOf(id: string, tx: Sql = this.sql): Promise<string[]> {
    return (await tx.rows<{ track_id: string }>(`SELECT track_id FROM playlist_tracks WHERE playlist_id = $1 ORDER BY position`, [id])).map((row) => row.track_id);
  }

  async contains(id: string, trackId: string, tx: Sql = this.sql): Promise<boolean> {
    return (await tx.one(`SELECT 1 FROM playlist_tracks WHERE playlist_id = $1 AND track_id = $2`, [id, trackId])) !== undefined;
  }

  /** Whether the user owns the track (a playlist only ever holds its owner's tracks). */
  async userOwnsTrack(userId: string, trackId: string, tx: Sql = this.sql): Promise<boolean> {
    return (await tx.one(`SELECT 1 FROM tracks WHERE id = $1 AND user_id = $2`, [trackId, userId])) !== undefined;
  }

  /**
   * Inserts the track at the 0-based `position` of the playlist (the end when absent or
   * past the end), moving the entries from there on one place back. Run it in the
   * transaction that holds the playlist's lock.
   */
  async insertTrack(id: string, trackId: string, position: number | undefined, tx: Sql): Promise<void> {
    const at =
      position === undefined ? undefined : await tx.one<{ position: number }>(`SELECT position FROM playlist_tracks WHERE playlist_id = $1 ORDER BY position OFFSET $2 LIMIT 1`, [id, position]);
    let key: number;
    if (at) {
      key = at.position;
      await tx.run(`UPDATE playlist_tracks SET position = position + 1 WHERE playlist_id = $1 AND position >= $2`, [id, key]);
    } else {
      key = (await tx.one<{ next: number }>(`SELECT coalesce(max(position) + 1, 0) AS next FROM playlist_tracks WHERE playlist_id = $1`, [id]))!.next;
    }
    await tx.run(`INSERT INTO playlist_tracks (playlist_id, track_id, position) VALUES ($1, $2, $3)`, [id, trackId, key]);
  }

  /** Takes the track out of the playlist; false when it was not in it. */
  async removeTrack(id: string, trackId: string, tx: Sql = this.sql): Promise<boolean> {
    return (await tx.run(`DELETE FROM playlist_tracks WHERE playlist_id = $1 AND track_id = $2`, [id, trackId])) > 0;
  }

  /** Puts the playlist's entries in the order of `trackIds`, which must name each of them once. */
  async setOrder(id: string, trackIds: readonly string[], tx: Sql = this.sql): Promise<void> {
    await tx.run(
      `UPDATE playlist_tracks pt SET position = o.ord - 1
       FROM unnest($2::uuid[]) WITH ORDINALITY AS o(track_id, ord)
       WHERE pt.playlist_id = $1 AND pt.track_id = o.track_id`,
      [id, trackIds],
    );
  }
}
