import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single sign-on, personal API tokens and the admin API (issue #9): identities linked
 * to accounts (issuer + subject), hashed API tokens looked up by hash, per-user quota
 * overrides and an admin-set role on users, the ID token of SSO sessions (for the
 * provider's sign-out), the audit log, and indexes for listing jobs across users.
 */
export class SsoTokensAdmin1764180000000 implements MigrationInterface {
  name = 'SsoTokensAdmin1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users
      ADD COLUMN role_override varchar(16) CHECK (role_override IN ('user', 'admin')),
      ADD COLUMN quota_daily_seconds integer CHECK (quota_daily_seconds >= 0),
      ADD COLUMN quota_max_active_jobs integer CHECK (quota_max_active_jobs >= 1)`);
    // Keyset cursors carry created_at as a JS Date (milliseconds): store exactly that.
    await q.query(`UPDATE users SET created_at = date_trunc('milliseconds', created_at)`);
    await q.query(`ALTER TABLE users ALTER COLUMN created_at SET DEFAULT date_trunc('milliseconds', now())`);
    await q.query(`CREATE INDEX users_created_idx ON users (created_at DESC, id DESC)`);

    await q.query(`ALTER TABLE sessions ADD COLUMN id_token text`);
    await q.query(`CREATE INDEX sessions_user_created_idx ON sessions (user_id, created_at DESC)`);

    await q.query(`CREATE TABLE user_identities (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      issuer text NOT NULL,
      subject text NOT NULL,
      email varchar(254),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_sign_in_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (issuer, subject)
    )`);
    await q.query(`CREATE INDEX user_identities_user_idx ON user_identities (user_id)`);

    await q.query(`CREATE TABLE api_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name varchar(100) NOT NULL,
      token_hash bytea NOT NULL,
      prefix varchar(16) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      expires_at timestamptz NOT NULL,
      last_used_at timestamptz,
      revoked_at timestamptz
    )`);
    // The one lookup made on each request authenticated by a token.
    await q.query(`CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash)`);
    await q.query(`CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at DESC)`);

    await q.query(`CREATE TABLE audit_log (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
      actor_email varchar(254),
      action varchar(64) NOT NULL,
      target_type varchar(16) NOT NULL,
      target_id text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      ip varchar(64),
      user_agent varchar(400),
      request_id varchar(128)
    )`);
    await q.query(`CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, created_at DESC)`);
    await q.query(`CREATE INDEX audit_log_target_idx ON audit_log (target_id, created_at DESC)`);

    // Jobs across users, newest first, optionally by status (the admin API).
    await q.query(`CREATE INDEX generations_created_idx ON generations (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX generations_status_created_idx ON generations (status, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX generations_status_created_idx`);
    await q.query(`DROP INDEX generations_created_idx`);
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE api_tokens`);
    await q.query(`DROP TABLE user_identities`);
    await q.query(`DROP INDEX sessions_user_created_idx`);
    await q.query(`ALTER TABLE sessions DROP COLUMN id_token`);
    await q.query(`DROP INDEX users_created_idx`);
    await q.query(`ALTER TABLE users ALTER COLUMN created_at SET DEFAULT now()`);
    await q.query(`ALTER TABLE users DROP COLUMN role_override, DROP COLUMN quota_daily_seconds, DROP COLUMN quota_max_active_jobs`);
  }
}
