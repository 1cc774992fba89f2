import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every track's loudness: integrated (LUFS), true peak (dBTP) and loudness range (LU),
 * measured when a take is stored. `loudness_measured_at` is null for tracks made before
 * this migration until the worker's backfill measures them; `loudness_error` says why a
 * measured track has no values (audio that cannot be decoded, or silence).
 */
export class TrackLoudness1764230000000 implements MigrationInterface {
  name = 'TrackLoudness1764230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tracks
      ADD COLUMN loudness_integrated_lufs real,
      ADD COLUMN loudness_true_peak_dbtp real,
      ADD COLUMN loudness_range_lu real,
      ADD COLUMN loudness_measured_at timestamptz,
      ADD COLUMN loudness_error text`);
    // The backfill's work list: empty once every old track is measured.
    await q.query(`CREATE INDEX tracks_loudness_unmeasured ON tracks (created_at, id) WHERE loudness_measured_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tracks_loudness_unmeasured`);
    await q.query(`ALTER TABLE tracks
      DROP COLUMN loudness_integrated_lufs,
      DROP COLUMN loudness_true_peak_dbtp,
      DROP COLUMN loudness_range_lu,
      DROP COLUMN loudness_measured_at,
      DROP COLUMN loudness_error`);
  }
}
