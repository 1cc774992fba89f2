import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generation pipeline: queue bookkeeping (heartbeat lease, cancel request, retry time),
 * progress reported by engines (a Space's queue position and ETA), and the index that
 * answers "how many jobs are ahead of this one".
 */
export class GenerationPipeline1764160000000 implements MigrationInterface {
  name = 'GenerationPipeline1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE generations
      ADD COLUMN engine_position integer,
      ADD COLUMN eta_seconds integer,
      ADD COLUMN cancel_requested_at timestamptz,
      ADD COLUMN heartbeat_at timestamptz,
      ADD COLUMN worker_id varchar(128),
      ADD COLUMN requested_seconds real NOT NULL DEFAULT 0`);
    // Keyset cursors carry created_at as a JS Date (milliseconds): store exactly that.
    for (const table of ['generations', 'tracks']) {
      await q.query(`UPDATE ${table} SET created_at = date_trunc('milliseconds', created_at)`);
      await q.query(`ALTER TABLE ${table} ALTER COLUMN created_at SET DEFAULT date_trunc('milliseconds', now())`);
    }
    await q.query(`CREATE INDEX generations_queued_idx ON generations (created_at, id) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX generations_user_active_idx ON generations (user_id) WHERE status IN ('queued', 'running')`);
    await q.query(`CREATE INDEX generations_user_day_idx ON generations (user_id, created_at) WHERE status NOT IN ('failed', 'canceled')`);
    await q.query(`DROP INDEX generations_unfinished_idx`);
    await q.query(`CREATE INDEX generations_running_idx ON generations (heartbeat_at) WHERE status = 'running'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['generations', 'tracks']) await q.query(`ALTER TABLE ${table} ALTER COLUMN created_at SET DEFAULT now()`);
    await q.query(`DROP INDEX generations_running_idx`);
    await q.query(`CREATE INDEX generations_unfinished_idx ON generations (created_at) WHERE status IN ('queued', 'running')`);
    await q.query(`DROP INDEX generations_user_day_idx`);
    await q.query(`DROP INDEX generations_user_active_idx`);
    await q.query(`DROP INDEX generations_queued_idx`);
    await q.query(`ALTER TABLE generations
      DROP COLUMN engine_position, DROP COLUMN eta_seconds, DROP COLUMN cancel_requested_at,
      DROP COLUMN heartbeat_at, DROP COLUMN worker_id, DROP COLUMN requested_seconds`);
  }
}
