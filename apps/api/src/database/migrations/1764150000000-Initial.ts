import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The start of the migration chain: accounts, server-side sessions, and the
 * generation/track tables that later migrations extend.
 */
export class Initial1764150000000 implements MigrationInterface {
  name = 'Initial1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email varchar(254),
      password_hash text,
      role varchar(16) NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
      is_guest boolean NOT NULL DEFAULT false,
      display_name varchar(200),
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL`);

    await q.query(`CREATE TABLE sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      ip varchar(64),
      user_agent varchar(400)
    )`);
    await q.query(`CREATE INDEX sessions_user_id_idx ON sessions (user_id)`);

    await q.query(`CREATE TABLE generations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      status varchar(16) NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
      prompt text NOT NULL,
      request jsonb NOT NULL,
      engine varchar(64),
      progress real NOT NULL DEFAULT 0,
      error_code varchar(32),
      error_message text,
      attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX generations_user_created_idx ON generations (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX generations_unfinished_idx ON generations (created_at) WHERE status IN ('queued', 'running')`);

    await q.query(`CREATE TABLE tracks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      generation_id uuid REFERENCES generations(id) ON DELETE SET NULL,
      take_index integer NOT NULL DEFAULT 0,
      title varchar(200) NOT NULL,
      prompt_raw text NOT NULL,
      prompt_expanded text,
      params jsonb NOT NULL DEFAULT '{}',
      engine varchar(64) NOT NULL,
      engine_meta jsonb NOT NULL DEFAULT '{}',
      duration_seconds real NOT NULL,
      sample_rate integer NOT NULL,
      channels smallint NOT NULL,
      format varchar(8) NOT NULL,
      mime_type varchar(64) NOT NULL,
      size_bytes bigint NOT NULL,
      storage_key text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX tracks_user_created_idx ON tracks (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX tracks_generation_idx ON tracks (generation_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tracks`);
    await q.query(`DROP TABLE generations`);
    await q.query(`DROP TABLE sessions`);
    await q.query(`DROP TABLE users`);
  }
}
