import { randomUUID } from 'node:crypto';
import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import type { Sql } from '../database/sql';
import { TrackShareEntity } from './track-share.entity';
import { TrackShareRepository } from './track-share.repository';

describe('TrackShareRepository (real Postgres)', () => {
  let database: MigratedDatabase;
  let sql: Sql;
  let shares: TrackShareRepository;

  beforeAll(async () => {
    database = await migratedDatabase();
    sql = database.sql;
    shares = new TrackShareRepository(database.dataSource.getRepository(TrackShareEntity));
  });
  afterAll(() => database?.close());

  const newUser = async () => (await sql.one<{ id: string }>(`INSERT INTO users DEFAULT VALUES RETURNING id`))!.id;
  const newTrack = async (userId: string) => {
    const id = randomUUID();
    await sql.run(
      `INSERT INTO tracks (id, user_id, title, prompt_raw, engine, duration_seconds, sample_rate, channels, format, mime_type, size_bytes, storage_key)
       VALUES ($1, $2, 't', 'p', 'offline', 1, 44100, 2, 'wav', 'audio/wav', 1, $3)`,
      [id, userId, `${userId}/${id}.wav`],
    );
    return id;
  };
  const inHours = (hours: number) => new Date(Math.floor(Date.now() + hours * 3600_000));

  it('creates links with their own columns and lists the active ones newest first', async () => {
    const user = await newUser();
    const track = await newTrack(user);
    const older = await shares.create(user, track, inHours(1));
    const newer = await shares.create(user, track, inHours(2), { allowDownload: true });
    await shares.create(user, track, inHours(-1)); // expired
    expect(newer).toMatchObject({ trackId: track, userId: user, allowDownload: true, revokedAt: null });
    expect(older.allowDownload).toBe(false);
    expect(shares.targetOf(newer)).toBe(track);
    expect(await shares.countActive(track)).toBe(2);
    expect((await shares.listActive(track)).map((s) => s.id)).toEqual([newer.id, older.id]);
  });

  it('revokes only the owner’s unrevoked link of that track', async () => {
    const user = await newUser();
    const track = await newTrack(user);
    const share = await shares.create(user, track, inHours(1));
    expect(await shares.revoke(await newUser(), track, share.id)).toBe(false);
    expect(await shares.revoke(user, await newTrack(user), share.id)).toBe(false);
    expect(await shares.revoke(user, track, share.id)).toBe(true);
    expect(await shares.revoke(user, track, share.id)).toBe(false);
    expect(await shares.countActive(track)).toBe(0);
    expect((await shares.findOfEnabledOwner(share.id))!.revokedAt).toBeInstanceOf(Date);
  });

  it('finds a link only while its owner’s account is enabled', async () => {
    const user = await newUser();
    const share = await shares.create(user, await newTrack(user), inHours(1));
    expect((await shares.findOfEnabledOwner(share.id))!.expiresAt).toEqual(share.expiresAt);
    await sql.run(`UPDATE users SET disabled_at = now() WHERE id = $1`, [user]);
    expect(await shares.findOfEnabledOwner(share.id)).toBeNull();
    expect(await shares.findOfEnabledOwner(randomUUID())).toBeNull();
  });
});
