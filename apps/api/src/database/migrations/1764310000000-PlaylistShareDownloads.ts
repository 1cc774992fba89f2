import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A playlist's share link may offer its tracks as downloads, as a track's may; existing links (and new ones by default) only play them. */
export class PlaylistShareDownloads1764310000000 implements MigrationInterface {
  name = 'PlaylistShareDownloads1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE playlist_shares ADD COLUMN allow_download boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE playlist_shares DROP COLUMN allow_download`);
  }
}
