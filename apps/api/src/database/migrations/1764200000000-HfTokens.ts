import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users' own Hugging Face tokens (issue #11): one per user, removed with the user, sealed
 * with AES-256-GCM (version | IV | tag | ciphertext); `key_id` names the SECRETS_KEY that
 * sealed it, `last4` and `account` are what the settings page shows.
 */
export class HfTokens1764200000000 implements MigrationInterface {
  name = 'HfTokens1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE hf_tokens (
      user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      token_sealed bytea NOT NULL,
      key_id varchar(16) NOT NULL,
      last4 varchar(4) NOT NULL,
      account varchar(200),
      verification varchar(16) NOT NULL CHECK (verification IN ('verified', 'unverified')),
      warning text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE hf_tokens`);
  }
}
