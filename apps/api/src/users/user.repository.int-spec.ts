import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

describe('UserRepository (real Postgres)', () => {
  let m: MigratedDatabase;
  let users: UserRepository;
  beforeAll(async () => {
    m = await migratedDatabase();
    users = new UserRepository(m.sql, m.dataSource.getRepository(UserEntity));
  });
  afterAll(() => m?.close());

  const create = (email: string | null, extra: Partial<{ passwordHash: string; displayName: string; isGuest: boolean }> = {}) =>
    users.create({ email, passwordHash: extra.passwordHash ?? null, isGuest: extra.isGuest ?? false, displayName: extra.displayName ?? null, role: 'user' });

  it('creates accounts and finds them by id (no password hash) or by email (with it)', async () => {
    const made = await create('ana@example.com', { passwordHash: 'hash-1', displayName: 'Ana' });
    expect(made).toMatchObject({ email: 'ana@example.com', role: 'user', isGuest: false, displayName: 'Ana', disabledAt: null });
    const byId = await users.findById(made.id);
    expect(byId?.email).toBe('ana@example.com');
    expect(byId?.passwordHash).toBeUndefined();
    expect((await users.findByEmailWithPassword('ana@example.com'))?.passwordHash).toBe('hash-1');
    expect(await users.findByEmailWithPassword('nobody@example.com')).toBeNull();

    await users.setPasswordHash(made.id, 'hash-2');
    await users.setDisplayName(made.id, null);
    await users.setRole(made.id, 'admin');
    const changed = await users.findByEmailWithPassword('ana@example.com');
    expect(changed).toMatchObject({ passwordHash: 'hash-2', displayName: null, role: 'admin', roleOverride: null });
  });

  it("keeps an admin's choices: role with its override, disabled, quota; read locked in a transaction", async () => {
    const user = await create('bo@example.com');
    await m.sql.transaction(async (tx) => {
      expect(await users.lockForChange(user.id, tx)).toEqual({ id: user.id, email: 'bo@example.com', role: 'user', role_override: null, disabled_at: null, quota_daily_seconds: null, quota_max_active_jobs: null });
      await users.assignRole(user.id, 'admin', tx);
      await users.disable(user.id, tx);
      await users.setQuota(user.id, { dailySeconds: 600, maxActiveJobs: null }, tx);
    });
    const locked = await m.sql.transaction((tx) => users.lockForChange(user.id, tx));
    expect(locked).toMatchObject({ role: 'admin', role_override: 'admin', quota_daily_seconds: 600, quota_max_active_jobs: null });
    expect(locked?.disabled_at).toBeInstanceOf(Date);
    await users.enable(user.id);
    expect((await users.findById(user.id))?.disabledAt).toBeNull();
    expect(await m.sql.transaction((tx) => users.lockForChange('00000000-0000-4000-8000-000000000000', tx))).toBeUndefined();
  });

  it('shows an account with its usage and sign-ins, and pages accounts newest first by a text match', async () => {
    const user = await create('carla_100%@example.com', { displayName: 'Carla' });
    await m.sql.run(`INSERT INTO sessions (user_id, expires_at, created_at) VALUES ($1, now() + interval '1 hour', '2030-01-02T03:04:05Z')`, [user.id]);
    await m.sql.run(`INSERT INTO user_identities (user_id, issuer, subject, last_sign_in_at) VALUES ($1, 'https://idp.example', 's-1', now())`, [user.id]);
    const view = await users.adminView(user.id);
    expect(view).toMatchObject({ id: user.id, display_name: 'Carla', tracks: 0, seconds_today: 0, active_jobs: 0, sso: ['https://idp.example'] });
    expect(view?.last_sign_in_at?.toISOString()).toBe('2030-01-02T03:04:05.000Z');

    // `%` and `_` are text, not wildcards.
    expect((await users.adminPage({ q: '_100%', limit: 10 })).map((row) => row.id)).toEqual([user.id]);
    expect(await users.adminPage({ q: 'a%b', limit: 10 })).toEqual([]);
    const all = await users.adminPage({ limit: 10 });
    expect(all.map((row) => row.email)).toEqual(['carla_100%@example.com', 'bo@example.com', 'ana@example.com']);
    const next = await users.adminPage({ after: { createdAt: all[0].created_at, id: all[0].id }, limit: 1 });
    expect(next.map((row) => row.email)).toEqual(['bo@example.com']);

    const emails = await users.emailsOf([user.id, all[1].id, '00000000-0000-4000-8000-000000000000']);
    expect([...emails.entries()]).toEqual(expect.arrayContaining([[user.id, 'carla_100%@example.com'], [all[1].id, 'bo@example.com']]));
    expect(emails.size).toBe(2);
  });

  it('removes an account, in a transaction that can roll it back', async () => {
    const user = await create(null, { isGuest: true });
    await expect(
      m.sql.transaction(async (tx) => {
        await users.remove(user.id, tx);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await users.findById(user.id)).not.toBeNull();
    await users.remove(user.id);
    expect(await users.findById(user.id)).toBeNull();
  });
});
