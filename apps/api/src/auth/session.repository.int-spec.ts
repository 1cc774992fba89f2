import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import { ApiError } from '../common/api-error';
import { ownedFromRow, type OwnedLookup } from './owned-lookup';
import { SessionEntity } from './session.entity';
import { SessionRepository } from './session.repository';

/** A lookup of the caller's playlist, as a route reads its resource with the session check. */
const PLAYLIST: OwnedLookup<{ id: string; title: string }> = {
  name: 'playlist',
  table: 'playlists',
  columns: ['id', 'title'],
  param: 'id',
  fromRow: (row) => ({ id: row.id as string, title: row.title as string }),
  notFound: () => new ApiError(404, 'not_found', 'No such playlist.'),
};

describe('SessionRepository (real Postgres)', () => {
  let m: MigratedDatabase;
  let sessions: SessionRepository;
  beforeAll(async () => {
    m = await migratedDatabase();
    sessions = new SessionRepository(m.sql, m.dataSource.getRepository(SessionEntity));
  });
  afterAll(() => m?.close());

  const user = async (email: string | null = null) => (await m.sql.one<{ id: string }>(`INSERT INTO users (email) VALUES ($1) RETURNING id`, [email]))!.id;
  const open = (userId: string, fields: { expiresAt?: Date; idToken?: string } = {}) =>
    sessions.open({ userId, expiresAt: fields.expiresAt ?? new Date(Date.now() + 3600_000), ip: '127.0.0.1', userAgent: 'jest', idToken: fields.idToken ?? null });

  it('finds the caller of a live session, and none for another account, an expired session or a disabled account', async () => {
    const userId = await user('dana@example.com');
    const session = await open(userId);
    const row = await sessions.liveCaller(session.id, userId);
    expect(row).toMatchObject({ id: userId, email: 'dana@example.com', display_name: null, role: 'user', is_guest: false, quota_daily_seconds: null, quota_max_active_jobs: null });
    expect(row?.caller_expires_at.getTime()).toBe(session.expiresAt.getTime());

    expect(await sessions.liveCaller(session.id, await user())).toBeUndefined();
    const expired = await open(userId, { expiresAt: new Date(Date.now() - 1000) });
    expect(await sessions.liveCaller(expired.id, userId)).toBeUndefined();
    await m.sql.run(`UPDATE users SET disabled_at = now() WHERE id = $1`, [userId]);
    expect(await sessions.liveCaller(session.id, userId)).toBeUndefined();
  });

  it("reads the route's resource in the same statement: the caller's own, never another account's", async () => {
    const userId = await user();
    const otherId = await user();
    const session = await open(userId);
    const mine = (await m.sql.one<{ id: string }>(`INSERT INTO playlists (user_id, title) VALUES ($1, 'mine') RETURNING id`, [userId]))!.id;
    const theirs = (await m.sql.one<{ id: string }>(`INSERT INTO playlists (user_id, title) VALUES ($1, 'theirs') RETURNING id`, [otherId]))!.id;

    const row = await sessions.liveCaller(session.id, userId, { lookup: PLAYLIST, id: mine });
    expect(row?.id).toBe(userId);
    expect(ownedFromRow(PLAYLIST, row as unknown as Record<string, unknown>)).toEqual({ id: mine, title: 'mine' });
    const other = await sessions.liveCaller(session.id, userId, { lookup: PLAYLIST, id: theirs });
    expect(other?.id).toBe(userId);
    expect(ownedFromRow(PLAYLIST, other as unknown as Record<string, unknown>)).toBeNull();
    const none = await sessions.liveCaller(session.id, userId, { lookup: PLAYLIST, id: null });
    expect(ownedFromRow(PLAYLIST, none as unknown as Record<string, unknown>)).toBeNull();
  });

  it('revokes a session once, handing back its ID token, and every session of an account', async () => {
    const userId = await user();
    const signedIn = await open(userId, { idToken: 'id-token-1' });
    expect(await sessions.revoke(signedIn.id)).toEqual({ idToken: 'id-token-1' });
    expect(await sessions.revoke(signedIn.id)).toBeUndefined();
    expect(await sessions.liveCaller(signedIn.id, userId)).toBeUndefined();
    expect(await sessions.revoke((await open(userId)).id)).toEqual({ idToken: null });

    const a = await open(userId);
    const b = await open(userId);
    expect(await m.sql.transaction((tx) => sessions.revokeAllOf(userId, tx))).toBe(2);
    expect(await sessions.liveCaller(a.id, userId)).toBeUndefined();
    expect(await sessions.liveCaller(b.id, userId)).toBeUndefined();
    expect(await sessions.revokeAllOf(userId)).toBe(0);
  });
});
