import { createDataSource } from '../src/database/data-source';
import { ENTITIES } from '../src/entities';
import { MIGRATIONS } from '../src/database/migrations';
import { migrationsApplied, pendingMigrations, runMigrationsLocked } from '../src/database/migrate';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const ALL = MIGRATIONS.map((m) => m.name);

const tables = async (ds: ReturnType<typeof createDataSource>) =>
  (await ds.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((r) => r.tablename);

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('go up and all the way down on an empty database, and up again', async () => {
    const ds = await createDataSource(db.url, ENTITIES).initialize();
    try {
      expect(await pendingMigrations(ds)).toEqual(ALL);
      expect(await runMigrationsLocked(ds)).toEqual(ALL);
      expect(await tables(ds)).toEqual(['api_tokens', 'audit_log', 'generations', 'hf_tokens', 'idempotency_keys', 'invites', 'migrations', 'playlist_shares', 'playlist_tracks', 'playlists', 'references', 'sessions', 'storage_garbage', 'track_shares', 'tracks', 'user_identities', 'users', 'webhook_deliveries', 'webhook_endpoints']);
      expect(await pendingMigrations(ds)).toEqual([]);
      for (let i = 0; i < ds.migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await tables(ds)).toEqual(['migrations']);
      expect(await runMigrationsLocked(ds)).toHaveLength(ds.migrations.length);
    } finally {
      await ds.destroy();
    }
  });

  it('apply each migration once when several processes start at the same moment', async () => {
    const fresh = await createTestDatabase();
    const sources = await Promise.all([1, 2, 3].map(() => createDataSource(fresh.url, ENTITIES).initialize()));
    try {
      const applied = await Promise.all(sources.map((ds) => runMigrationsLocked(ds)));
      expect(applied.flat().sort()).toEqual([...ALL].sort());
      const rows = await sources[0].query('SELECT name FROM migrations');
      expect(rows).toHaveLength(ALL.length);
    } finally {
      await Promise.all(sources.map((ds) => ds.destroy()));
      await fresh.drop();
    }
  });

  it('let a worker wait until another process has applied them, or give up when it stops', async () => {
    const fresh = await createTestDatabase();
    const worker = await createDataSource(fresh.url, ENTITIES).initialize();
    const api = await createDataSource(fresh.url, ENTITIES).initialize();
    try {
      let stopping = false;
      expect(await migrationsApplied(worker, () => true)).toBe(false);
      let waits = 0;
      let settled: boolean | undefined;
      const waiting = migrationsApplied(worker, () => stopping, () => waits++).then((applied) => (settled = applied));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect({ settled, waits }).toEqual({ settled: undefined, waits: 1 });
      await runMigrationsLocked(api);
      expect(await waiting).toBe(true);
      expect(waits).toBe(1);
      stopping = true;
      expect(await migrationsApplied(worker, () => stopping)).toBe(false);
    } finally {
      await Promise.all([worker.destroy(), api.destroy()]);
      await fresh.drop();
    }
  });
});
