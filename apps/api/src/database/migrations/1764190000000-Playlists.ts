import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Playlists: ordered, each track at most once, rows removed with their track (so a
 * track deleted from the library leaves every playlist), and share links of their own.
 * `position` is a sort key (gaps allowed); its uniqueness is checked at commit so one
 * statement can renumber a whole playlist.
 */
export class Playlists1764190000000 implements MigrationInterface {
  name = 'Playlists1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE playlists (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      title varchar(100) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )`);
    await q.query(`CREATE INDEX playlists_user_idx ON playlists (user_id, created_at DESC)`);
    await q.query(`CREATE TABLE playlist_tracks (
      playlist_id uuid NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
      track_id uuid NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
      position integer NOT NULL,
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (playlist_id, track_id),
      CONSTRAINT playlist_tracks_position_key UNIQUE (playlist_id, position) DEFERRABLE INITIALLY DEFERRED
    )`);
    await q.query(`CREATE INDEX playlist_tracks_track_idx ON playlist_tracks (track_id)`);
    await q.query(`CREATE TABLE playlist_shares (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      playlist_id uuid NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )`);
    await q.query(`CREATE INDEX playlist_shares_playlist_idx ON playlist_shares (playlist_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE playlist_shares`);
    await q.query(`DROP TABLE playlist_tracks`);
    await q.query(`DROP TABLE playlists`);
  }
}
