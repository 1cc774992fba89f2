import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys (`Idempotency-Key` on POST endpoints): one row per account and key.
 * The row is inserted before the request runs, so the unique (user_id, key) constraint
 * is the lock that lets only one of several concurrent requests with a key proceed; the
 * response it produced is stored in it and replayed until `expires_at` (sealed, for
 * responses that show a secret once).
 */
export class IdempotencyKeys1764290000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE idempotency_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      key varchar(255) NOT NULL,
      method varchar(16) NOT NULL,
      path text NOT NULL,
      fingerprint bytea NOT NULL,
      lock_token uuid,
      locked_at timestamptz,
      response_status smallint,
      response_body text,
      response_sealed boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      CONSTRAINT idempotency_keys_user_key UNIQUE (user_id, key),
      CONSTRAINT idempotency_keys_locked_or_done CHECK ((lock_token IS NULL) = (response_status IS NOT NULL))
    )`);
    await q.query(`CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
