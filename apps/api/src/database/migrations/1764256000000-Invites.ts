import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invites (REGISTRATION=invite): one-time codes an admin makes (`POST /v1/admin/invites`)
 * that let one person create a password account. Only the code's SHA-256 is stored.
 */
export class Invites1764256000000 implements MigrationInterface {
  name = 'Invites1764256000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE invites (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code_hash bytea NOT NULL UNIQUE,
      email varchar(254),
      created_by uuid REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      used_by uuid REFERENCES users(id) ON DELETE SET NULL,
      revoked_at timestamptz
    )`);
    await q.query(`CREATE INDEX invites_created_idx ON invites (created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE invites`);
  }
}
