import { randomUUID } from 'node:crypto';
import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import type { Sql } from '../database/sql';
import type { TrackEntity } from './track.entity';
import { TrackRepository, type NewTrack } from './track.repository';

describe('TrackRepository (real Postgres)', () => {
  let database: MigratedDatabase;
  let sql: Sql;
  let tracks: TrackRepository;

  beforeAll(async () => {
    database = await migratedDatabase();
    sql = database.sql;
    tracks = new TrackRepository(sql);
  });
  afterAll(() => database?.close());

  const newUser = async () => (await sql.one<{ id: string }>(`INSERT INTO users DEFAULT VALUES RETURNING id`))!.id;
  const newJob = async (userId: string) =>
    (await sql.one<{ id: string }>(`INSERT INTO generations (user_id, status, prompt, request, engine) VALUES ($1, 'succeeded', 'p', '{}', 'offline') RETURNING id`, [userId]))!.id;
  const take = (userId: string, generationId: string | null, takeIndex: number, extra: Partial<NewTrack> = {}): NewTrack => {
    const id = randomUUID();
    return {
      id,
      userId,
      generationId,
      takeIndex,
      title: `Take ${takeIndex}`,
      promptRaw: `rain on a tin roof, take ${takeIndex}`,
      promptExpanded: null,
      params: { seed: 3 + takeIndex, loop: takeIndex === 1 },
      engine: 'offline',
      engineMeta: { timings_ms: { space_processing: 1500, submit_to_result: 2500 }, queue: { waited_ms: 500 } },
      durationSeconds: 10.5,
      sampleRate: 44100,
      channels: 2,
      format: 'wav',
      mimeType: 'audio/wav',
      sizeBytes: 5_000_000_000,
      storageKey: `${userId}/${id}.wav`,
      peaks: takeIndex === 0 ? Buffer.from([1, 2, 255]) : null,
      loudnessIntegratedLufs: -14.5,
      loudnessTruePeakDbtp: -1,
      loudnessRangeLu: 6,
      loudnessMeasuredAt: new Date(),
      loudnessError: null,
      ...extra,
    };
  };

  /**
   * Inserts the takes one by one, a few milliseconds apart: created_at has millisecond
   * resolution, and takes inserted within one millisecond would tie and fall back to id
   * order, which is random.
   */
  const insertInOrder = async (takes: NewTrack[]): Promise<TrackEntity[]> => {
    const stored: TrackEntity[] = [];
    for (const t of takes) {
      if (stored.length > 0) await new Promise((resolve) => setTimeout(resolve, 3));
      stored.push(...(await tracks.insertTakes([t])));
    }
    return stored;
  };

  it('stores a job’s takes in the caller’s transaction and reads them back as given', async () => {
    const user = await newUser();
    const job = await newJob(user);
    const takes = [take(user, job, 0), take(user, job, 1)];
    const stored = await sql.transaction((tx) => tracks.insertTakes(takes, tx));
    expect(stored.map((t) => t.createdAt)).toEqual([expect.any(Date), expect.any(Date)]);
    const read = await tracks.findOwned(user, takes[0].id, { peaks: true });
    // A read shows the loudness, not when or why it was measured.
    const { peaks: _peaks, loudnessMeasuredAt: _at, loudnessError: _error, ...expected } = takes[0];
    expect(read).toMatchObject({ ...expected, renditions: {} });
    expect(read!.peaks).toEqual(Buffer.from([1, 2, 255]));
    expect((await tracks.findOwned(user, takes[0].id))!.peaks).toBeUndefined();
    expect(await tracks.findOwned(await newUser(), takes[0].id)).toBeNull();
    expect((await tracks.findById(takes[1].id))!.userId).toBe(user);
    expect(await tracks.idsByGeneration([job])).toEqual(new Map([[job, [takes[0].id, takes[1].id]]]));
    expect(await tracks.spaceTimings([job])).toEqual([
      { engine: 'offline', queueMs: 500, processingMs: 1500, totalMs: 2500 },
      { engine: 'offline', queueMs: 500, processingMs: 1500, totalMs: 2500 },
    ]);
  });

  it('rolls the takes back with the transaction', async () => {
    const user = await newUser();
    const lost = take(user, null, 0);
    await expect(
      sql.transaction(async (tx) => {
        await tracks.insertTakes([lost], tx);
        throw new Error('job taken over');
      }),
    ).rejects.toThrow('job taken over');
    expect(await tracks.findById(lost.id)).toBeNull();
  });

  it('pages a library newest first by keyset, with a search that takes LIKE characters literally', async () => {
    const user = await newUser();
    const titles = ['비 오는 날', '100% rain', 'rain_drops', 'sunny', 'Rainy night'];
    const made = await insertInOrder(titles.map((title, i) => take(user, null, i % 2, { title, promptRaw: 'x' })));
    const first = await tracks.page(user, { limit: 2 });
    expect(first.map((t) => t.title)).toEqual(['Rainy night', 'sunny', 'rain_drops']);
    expect(first[0]).toMatchObject({ params: undefined, storageKey: undefined }); // list columns only
    expect(first[1].params).toEqual({ loop: true });
    expect(first[0].peaks).toEqual(Buffer.alloc(0)); // has peaks, not loaded
    const next = await tracks.page(user, { limit: 2, before: first[1] });
    expect(next.map((t) => t.title)).toEqual(['rain_drops', '100% rain', '비 오는 날']);
    expect((await tracks.page(user, { limit: 10, q: 'RAIN' })).map((t) => t.title)).toEqual(['Rainy night', 'rain_drops', '100% rain']);
    expect((await tracks.page(user, { limit: 10, q: '%' })).map((t) => t.title)).toEqual(['100% rain']);
    expect((await tracks.page(user, { limit: 10, q: '_' })).map((t) => t.title)).toEqual(['rain_drops']);
    expect((await tracks.page(user, { limit: 10, q: '오는' })).map((t) => t.title)).toEqual(['비 오는 날']);
    expect((await tracks.page(user, { limit: 10, q: 'rain', before: made[2] })).map((t) => t.title)).toEqual(['100% rain']);
    expect((await tracks.findManyOwned(user, [made[0].id, made[1].id, randomUUID()])).map((t) => t.title).sort()).toEqual(['100% rain', '비 오는 날']);
  });

  it('renames, adds renditions, and deletes with every file of the track', async () => {
    const user = await newUser();
    const t = take(user, null, 0);
    await tracks.insertTakes([t]);
    expect(await tracks.rename(t.id, `it's "new"`)).toBe(true);
    expect(await tracks.addRendition(t.id, 'mp3', { key: `${t.storageKey}.mp3`, size: 10, createdAt: '2026-01-01T00:00:00.000Z' })).toBe(true);
    expect(await tracks.addRendition(t.id, 'midi', { key: `${t.storageKey}.mid`, size: 20, createdAt: '2026-01-01T00:00:00.000Z' })).toBe(true);
    const read = await tracks.findOwned(user, t.id);
    expect(read).toMatchObject({ title: `it's "new"`, renditions: { mp3: { key: `${t.storageKey}.mp3`, size: 10 }, midi: { size: 20 } } });
    expect(await tracks.filesOfUser(user)).toEqual({ tracks: 1, keys: expect.arrayContaining([t.storageKey, `${t.storageKey}.mp3`, `${t.storageKey}.mid`]) });
    expect(await tracks.delete(await newUser(), t.id)).toBeNull();
    const deleted = await tracks.delete(user, t.id);
    expect(deleted).toMatchObject({ id: t.id, generationId: null, takeIndex: 0, title: `it's "new"`, deletedAt: expect.any(Date) });
    expect(deleted!.files.sort()).toEqual([t.storageKey, `${t.storageKey}.mid`, `${t.storageKey}.mp3`].sort());
    expect(await tracks.rename(t.id, 'gone')).toBe(false);
    expect(await tracks.addRendition(t.id, 'mp3', { key: 'k', size: 1, createdAt: '2026-01-01T00:00:00.000Z' })).toBe(false);
    expect(await tracks.filesOfUser(user)).toEqual({ tracks: 0, keys: [] });
  });

  it('hands out tracks without loudness oldest first, locked, so two backfills never share one', async () => {
    const user = await newUser();
    const unmeasured = { loudnessIntegratedLufs: null, loudnessTruePeakDbtp: null, loudnessRangeLu: null, loudnessMeasuredAt: null, loudnessError: null };
    const pending = [take(user, null, 0, unmeasured), take(user, null, 0, unmeasured), take(user, null, 0, unmeasured)];
    await insertInOrder(pending);
    await sql.transaction(async (first) => {
      const a = await tracks.lockUnmeasured(2, null, first);
      expect(a.map((t) => t.id)).toEqual([pending[0].id, pending[1].id]);
      expect(a[0]).toMatchObject({ storageKey: pending[0].storageKey, format: 'wav', createdAt: expect.any(Date) });
      const b = await sql.transaction((second) => tracks.lockUnmeasured(2, null, second));
      expect(b.map((t) => t.id)).toEqual([pending[2].id]);
      await tracks.saveLoudness(a[0].id, { loudnessIntegratedLufs: -20, loudnessTruePeakDbtp: -3, loudnessRangeLu: 4, loudnessMeasuredAt: new Date(), loudnessError: null }, first);
    });
    const rest = await sql.transaction((tx) => tracks.lockUnmeasured(10, null, tx));
    expect(rest.map((t) => t.id)).toEqual([pending[1].id, pending[2].id]);
    const after = await sql.transaction((tx) => tracks.lockUnmeasured(10, rest[0], tx));
    expect(after.map((t) => t.id)).toEqual([pending[2].id]);
    expect((await tracks.findOwned(user, pending[0].id))!.loudnessIntegratedLufs).toBe(-20);
  });
});
