import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A track's share link may offer the audio as a download; existing links (and new ones by default) only play it. */
export class ShareDownloads1764300000000 implements MigrationInterface {
  name = 'ShareDownloads1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE track_shares ADD COLUMN allow_download boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE track_shares DROP COLUMN allow_download`);
  }
}
