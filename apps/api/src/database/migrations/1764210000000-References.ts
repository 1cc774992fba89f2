import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users' reference (melody) audio (issues #4, #7): uploaded with `POST /v1/references`,
 * stored under `<user>/refs/<id>.<ext>`, given to engines with an audio input.
 */
export class References1764210000000 implements MigrationInterface {
  name = 'References1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "references" (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      storage_key text NOT NULL,
      format varchar(8) NOT NULL,
      mime_type varchar(64) NOT NULL,
      size_bytes bigint NOT NULL,
      duration_seconds real,
      file_name varchar(255),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX references_user_idx ON "references" (user_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "references"`);
  }
}
