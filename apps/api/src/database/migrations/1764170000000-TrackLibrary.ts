import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The track library: waveform peaks and renditions on tracks, substring search over
 * title and prompt (a trigram index where the pg_trgm extension can be created), share
 * links, and the outbox of storage objects still to be removed.
 */
export class TrackLibrary1764170000000 implements MigrationInterface {
  name = 'TrackLibrary1764170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tracks
      ADD COLUMN peaks bytea,
      ADD COLUMN renditions jsonb NOT NULL DEFAULT '{}'`);
    // pg_trgm is a trusted extension (database owners may create it), but a locked-down
    // server may still refuse: search then works without the index, only slower.
    await q.query(`SAVEPOINT trgm`);
    try {
      await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
      await q.query(`CREATE INDEX tracks_search_idx ON tracks USING gin ((title || ' ' || prompt_raw) gin_trgm_ops)`);
      await q.query(`RELEASE SAVEPOINT trgm`);
    } catch {
      await q.query(`ROLLBACK TO SAVEPOINT trgm`);
    }
    await q.query(`CREATE TABLE track_shares (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      track_id uuid NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )`);
    await q.query(`CREATE INDEX track_shares_track_idx ON track_shares (track_id)`);
    await q.query(`CREATE TABLE storage_garbage (
      key text PRIMARY KEY,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX storage_garbage_due_idx ON storage_garbage (next_attempt_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE storage_garbage`);
    await q.query(`DROP TABLE track_shares`);
    await q.query(`DROP INDEX IF EXISTS tracks_search_idx`);
    await q.query(`ALTER TABLE tracks DROP COLUMN peaks, DROP COLUMN renditions`);
  }
}
