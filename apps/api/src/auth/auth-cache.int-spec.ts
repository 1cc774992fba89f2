import { Client } from 'pg';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { eventually } from '../../test/support/helpers';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import type { AppConfig } from '../config/app-config';
import { createDataSource } from '../database/data-source';
import { RowChanges } from '../database/row-changes';
import { ENTITIES } from '../entities';
import { AuthCache, type LoadedCaller } from './auth-cache';
import type { AuthUser } from './auth-user';
import type { OwnedLookup, OwnedTarget } from './owned-lookup';

describe('AuthCache (real Postgres, its triggers and notices)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let cache: AuthCache;
  let elsewhere: Client; // another process, or an operator's psql
  const config = { role: 'all', auth: { cacheSeconds: 60 } } as AppConfig;
  const registry = new Registry();
  const metrics = registry;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url, ENTITIES);
    await ds.initialize();
    await ds.runMigrations();
    cache = new AuthCache(config, RowChanges.of(ds), metrics);
    await cache.onApplicationBootstrap();
    elsewhere = new Client({ connectionString: db.url });
    await elsewhere.connect();
  });
  afterAll(async () => {
    await elsewhere.end();
    await cache.onApplicationShutdown();
    await ds.destroy();
    await db.drop();
  });

  /** A user and a session rows; `caller()` authenticates by that session, counting the reads. */
  async function account(expiresAt = new Date(Date.now() + 3600_000)) {
    const [user] = await ds.query<{ id: string }[]>(`INSERT INTO users (email) VALUES (NULL) RETURNING id`);
    const [session] = await ds.query<{ id: string }[]>(`INSERT INTO sessions (user_id, expires_at) VALUES ($1, $2) RETURNING id`, [user.id, expiresAt]);
    let reads = 0;
    const caller = (target?: OwnedTarget, owned?: unknown, during?: () => Promise<unknown>) =>
      cache.authenticate(`session:${session.id}`, target, async (): Promise<LoadedCaller> => {
        reads++;
        await during?.();
        return { authenticated: { user: { id: user.id } as AuthUser, ...(target ? { owned } : {}) }, expiresAt, rows: [`sessions:${session.id}`, `users:${user.id}`] };
      });
    return { userId: user.id, sessionId: session.id, caller, reads: () => reads };
  }

  it('keeps a caller until its session or account changes: at once when this process changed it, on the notice otherwise', async () => {
    const a = await account();
    expect((await a.caller())?.user.id).toBe(a.userId);
    await a.caller();
    expect(a.reads()).toBe(1);

    await ds.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1`, [a.sessionId]); // a sign-out, on a pool connection
    await a.caller();
    expect(a.reads()).toBe(2);
    await a.caller();
    expect(a.reads()).toBe(2);

    await elsewhere.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [a.userId]);
    await eventually(async () => (await a.caller(), a.reads() === 3));
  });

  it('does not keep an answer read while one of its rows changed', async () => {
    const a = await account();
    await a.caller(undefined, undefined, () => ds.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1`, [a.sessionId]));
    await a.caller();
    expect(a.reads()).toBe(2);
  });

  it('reads an expired session again, every time', async () => {
    const a = await account(new Date(Date.now() - 1000));
    await a.caller();
    await a.caller();
    expect(a.reads()).toBe(2);
  });

  it('keeps a resource for its owner only, until its row changes', async () => {
    const owner = await account();
    const other = await account();
    // any watched table serves: the resource here is a users row
    const lookup = { name: 'u', table: 'users' } as OwnedLookup<unknown>;
    const target: OwnedTarget = { lookup, id: other.userId };
    expect((await owner.caller(target, { id: other.userId }))?.owned).toEqual({ id: other.userId });
    expect((await owner.caller(target, { id: other.userId }))?.owned).toEqual({ id: other.userId });
    expect(owner.reads()).toBe(1);

    const stranger = await account();
    await stranger.caller(); // the caller alone is kept...
    expect((await stranger.caller(target, null))?.owned).toBeNull(); // ...but the resource is the owner's: asked again
    expect(stranger.reads()).toBe(2);

    await ds.query(`UPDATE users SET display_name = 'renamed' WHERE id = $1`, [other.userId]);
    await owner.caller(target, { id: other.userId });
    expect(owner.reads()).toBe(2);
  });

  it('drops everything on a truncation, or a statement that changed over 100 rows', async () => {
    const a = await account();
    await a.caller();
    await ds.query(`INSERT INTO users (email) SELECT NULL FROM generate_series(1, 101)`);
    await ds.query(`UPDATE users SET display_name = 'everyone'`);
    await a.caller();
    expect(a.reads()).toBe(2);
    await a.caller();
    expect(a.reads()).toBe(2);
    await ds.query(`TRUNCATE api_tokens`);
    await a.caller();
    expect(a.reads()).toBe(3);
  });

  it('uses nothing it kept while its feed of changes is down, and again once it is back', async () => {
    const a = await account();
    await a.caller();
    await a.caller();
    expect(a.reads()).toBe(1);
    await elsewhere.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'texttune-row-changes' AND datname = $1`, [db.name]);
    await eventually(async () => !cache.live);
    await a.caller();
    await a.caller();
    expect(a.reads()).toBe(3);
    await eventually(async () => cache.live);
    await a.caller();
    await a.caller();
    expect(a.reads()).toBe(4);
  });

  it('counts its answers by source, and says whether it is live, for /metrics', async () => {
    const value = async (name: string, labels = '') => {
      const line = (await registry.getSingleMetricAsString(name)).split('\n').find((l) => l.startsWith(`${name}${labels} `));
      return Number(line?.split(' ')[1]);
    };
    const before = { memory: await value('texttune_auth_lookups_total', '{source="memory"}'), database: await value('texttune_auth_lookups_total', '{source="database"}') };
    const a = await account();
    await a.caller();
    await a.caller();
    await a.caller();
    expect(await value('texttune_auth_lookups_total', '{source="memory"}')).toBe(before.memory + 2);
    expect(await value('texttune_auth_lookups_total', '{source="database"}')).toBe(before.database + 1);
    expect(await value('texttune_auth_cache_live')).toBe(1);
  });

  it('is off with AUTH_CACHE_SECONDS=0', async () => {
    const off = new AuthCache({ ...config, auth: { ...config.auth, cacheSeconds: 0 } }, RowChanges.of(ds), new Registry());
    await off.onApplicationBootstrap();
    let reads = 0;
    const load = async () => (reads++, { authenticated: { user: { id: 'x' } as AuthUser }, expiresAt: new Date(Date.now() + 60_000), rows: [] });
    await off.authenticate('k', undefined, load);
    await off.authenticate('k', undefined, load);
    expect([reads, off.live]).toEqual([2, false]);
    await off.onApplicationShutdown();
  });
});
