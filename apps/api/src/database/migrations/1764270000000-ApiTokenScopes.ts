import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scopes of personal API tokens (`read`, `generate`, `manage`, `admin`). Tokens made
 * before scopes existed could do everything their owner could: they get every scope
 * their owner holds now (`admin` only where the owner is an admin), so they keep that
 * power, and the column needs no "unrestricted" marker.
 */
export class ApiTokenScopes1764270000000 implements MigrationInterface {
  name = 'ApiTokenScopes1764270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens ADD COLUMN scopes text[]`);
    await q.query(`UPDATE api_tokens t SET scopes = CASE WHEN u.role = 'admin' THEN ARRAY['read', 'generate', 'manage', 'admin'] ELSE ARRAY['read', 'generate', 'manage'] END FROM users u WHERE u.id = t.user_id`);
    await q.query(`ALTER TABLE api_tokens ALTER COLUMN scopes SET NOT NULL`);
    await q.query(`ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scopes_known CHECK (scopes <@ ARRAY['read', 'generate', 'manage', 'admin']::text[] AND cardinality(scopes) > 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens DROP COLUMN scopes`);
  }
}
