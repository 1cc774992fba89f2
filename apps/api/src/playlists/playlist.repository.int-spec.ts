import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import { PlaylistEntity } from './playlist.entity';
import { PlaylistRepository } from './playlist.repository';

describe('PlaylistRepository (real Postgres)', () => {
  let m: MigratedDatabase;
  let playlists: PlaylistRepository;
  beforeAll(async () => {
    m = await migratedDatabase();
    playlists = new PlaylistRepository(m.sql, m.dataSource.getRepository(PlaylistEntity));
  });
  afterAll(() => m?.close());

  const user = async () => (await m.sql.one<{ id: string }>(`INSERT INTO users (email) VALUES (NULL) RETURNING id`))!.id;
  const track = async (userId: string, seconds = 2.5) =>
    (await m.sql.one<{ id: string }>(
      `INSERT INTO tracks (user_id, title, prompt_raw, engine, duration_seconds, sample_rate, channels, format, mime_type, size_bytes, storage_key)
       VALUES ($1::uuid, 't', 't', 'test', $2, 44100, 2, 'wav', 'audio/wav', 1, $1::text || '/' || gen_random_uuid() || '.wav') RETURNING id`,
      [userId, seconds],
    ))!.id;
  const insert = (id: string, trackId: string, position?: number) => m.sql.transaction((tx) => playlists.insertTrack(id, trackId, position, tx));

  it('creates playlists, counts them and sums their tracks; only the owner finds one', async () => {
    const userId = await user();
    const first = await m.sql.transaction(async (tx) => {
      await playlists.lockCreationsOf(userId, tx);
      expect(await playlists.countOf(userId, tx)).toBe(0);
      return playlists.create(userId, 'first', tx);
    });
    const second = await playlists.create(userId, 'second');
    expect(await playlists.countOf(userId)).toBe(2);
    await insert(first, await track(userId, 1.25));
    await insert(first, await track(userId, 2));

    const summaries = await playlists.summariesOf(userId);
    expect(summaries.map((row) => [row.id, row.title, row.track_count, row.duration])).toEqual([
      [second, 'second', 0, null],
      [first, 'first', 2, 3.25],
    ]);
    expect((await playlists.summary(userId, first))?.track_count).toBe(2);
    const stranger = await user();
    expect(await playlists.summary(stranger, first)).toBeUndefined();
    expect(await playlists.findOwned(stranger, first)).toBeNull();
    expect((await playlists.findOwned(userId, first))?.title).toBe('first');
    expect((await playlists.findById(first))?.userId).toBe(userId);
    expect(await playlists.userOwnsTrack(stranger, (await playlists.trackIdsOf(first))[0])).toBe(false);
  });

  it('inserts at a position, appends past the end, removes and reorders entries', async () => {
    const userId = await user();
    const id = await playlists.create(userId, 'order');
    const [a, b, c, d] = [await track(userId), await track(userId), await track(userId), await track(userId)];
    await insert(id, a);
    await insert(id, b, 0);
    await insert(id, c, 1);
    await insert(id, d, 99);
    expect(await playlists.trackIdsOf(id)).toEqual([b, c, a, d]);
    expect(await playlists.contains(id, c)).toBe(true);

    expect(await playlists.removeTrack(id, c)).toBe(true);
    expect(await playlists.removeTrack(id, c)).toBe(false);
    expect(await playlists.contains(id, c)).toBe(false);
    await playlists.setOrder(id, [d, a, b]);
    expect(await playlists.trackIdsOf(id)).toEqual([d, a, b]);
  });

  it('locks, touches, renames and deletes only the owner’s playlist', async () => {
    const userId = await user();
    const id = await playlists.create(userId, 'old');
    const before = (await playlists.findById(id))!.updatedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await m.sql.transaction(async (tx) => {
      expect(await playlists.lockOwned(await user(), id, tx)).toBe(false);
      expect(await playlists.lockOwned(userId, id, tx)).toBe(true);
      await playlists.touch(id, 'new', tx);
    });
    const after = (await playlists.findById(id))!;
    expect(after.title).toBe('new');
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.getTime());
    await playlists.touch(id, null);
    expect((await playlists.findById(id))!.title).toBe('new');

    expect(await playlists.delete(await user(), id)).toBe(false);
    expect(await playlists.delete(userId, id)).toBe(true);
    expect(await playlists.findById(id)).toBeNull();
  });
});
