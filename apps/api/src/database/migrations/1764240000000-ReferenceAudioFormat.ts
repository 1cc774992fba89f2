import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What decoding a reference found besides its container: the codec, channels and sample
 * rate. Rows uploaded before decoding keep nulls there.
 */
export class ReferenceAudioFormat1764240000000 implements MigrationInterface {
  name = 'ReferenceAudioFormat1764240000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "references" ADD COLUMN codec varchar(16), ADD COLUMN channels smallint, ADD COLUMN sample_rate integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "references" DROP COLUMN codec, DROP COLUMN channels, DROP COLUMN sample_rate`);
  }
}
