import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import type { Sql } from '../database/sql';
import { StorageGarbageRepository } from './storage-garbage.repository';

describe('StorageGarbageRepository (real Postgres)', () => {
  let database: MigratedDatabase;
  let sql: Sql;
  let outbox: StorageGarbageRepository;

  beforeAll(async () => {
    database = await migratedDatabase();
    sql = database.sql;
    outbox = new StorageGarbageRepository(sql);
  });
  afterAll(() => database?.close());

  const entry = (key: string) => sql.one<{ attempts: number; last_error: string | null; due_in: number }>(
    `SELECT attempts, last_error, extract(epoch FROM next_attempt_at - now())::float8 AS due_in FROM storage_garbage WHERE key = $1`,
    [key],
  );

  it('adds each key once, inside the caller’s transaction', async () => {
    await outbox.add(['a/1.wav', 'a/1.wav.mp3', 'a/1.wav']);
    await expect(
      sql.transaction(async (tx) => {
        await outbox.add(['b/rolled-back.wav'], tx);
        throw new Error('row delete failed');
      }),
    ).rejects.toThrow('row delete failed');
    await outbox.add([]);
    expect(await outbox.count()).toBe(2);
  });

  it('postpones a failed removal with its error and hands out only due entries, locked', async () => {
    await outbox.postpone('a/1.wav', 'x'.repeat(600), 120);
    expect(await entry('a/1.wav')).toEqual({ attempts: 1, last_error: 'x'.repeat(500), due_in: expect.any(Number) });
    expect((await entry('a/1.wav'))!.due_in).toBeGreaterThan(100);
    await sql.transaction(async (first) => {
      expect(await outbox.lockDue(10, first)).toEqual([{ key: 'a/1.wav.mp3', attempts: 0 }]);
      expect(await sql.transaction((second) => outbox.lockDue(10, second))).toEqual([]);
      await outbox.remove('a/1.wav.mp3', first);
    });
    expect(await outbox.count()).toBe(1);
  });
});
