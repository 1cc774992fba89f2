import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ROOT_DATA_HOME, startEmbeddedPostgres, type RunningPostgres } from '../src/database/embedded-postgres';

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Starts the real launcher on a fresh data dir, as `npm start` does with `.data/`. */
describe('embedded Postgres launcher', () => {
  let root: string;
  let dataDir: string;
  const running: RunningPostgres[] = [];
  const start = async () => {
    const pg = await startEmbeddedPostgres({ dataDir, database: 'texttune' });
    running.push(pg);
    return pg;
  };

  beforeAll(async () => {
    // Under the OS temp dir, which the unprivileged account that runs Postgres for root can reach.
    root = await mkdtemp(path.join(os.tmpdir(), 'texttune-embedded-'));
    await chmod(root, 0o755); // mkdtemp makes it private to root
    dataDir = path.join(root, 'postgres');
  });
  afterAll(async () => {
    await Promise.all(running.map((pg) => pg.stop()));
    await rm(root, { recursive: true, force: true });
  });

  it('initialises a fresh cluster, keeps data across a restart', async () => {
    const first = await start();
    await query(first.url, 'CREATE TABLE kept (v text)');
    await query(first.url, 'INSERT INTO kept VALUES ($1)', ['still here']);
    await first.stop();

    const second = await start();
    expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    await second.stop();
  }, 120_000);

  it('recovers from a stale lock file left by a crash', async () => {
    // A postmaster.pid naming a process that no longer exists, as after a power cut.
    await writeFile(path.join(dataDir, 'postmaster.pid'), `999999\n${dataDir}\n0\n5432\n\n\n`);
    const pg = await start();
    expect(await query(pg.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }]);
    await pg.stop();
  }, 60_000);

  it('stops an orphaned server of the same cluster (the API was killed with -9) and starts again', async () => {
    const orphan = await start(); // never stopped by its owner: it stays running, holding the lock
    const pg = await start();
    expect(pg.port).not.toBe(orphan.port);
    expect(await query(pg.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    await expect(query(orphan.url, 'SELECT 1')).rejects.toThrow();
    await pg.stop();
  }, 60_000);

  it('keeps the cluster of a private checkout where the account running Postgres can reach it', async () => {
    const privateCheckout = await mkdtemp(path.join(os.tmpdir(), 'texttune-private-')); // 0700, like /root or a mktemp clone
    const lines: string[] = [];
    const privateData = path.join(privateCheckout, '.data', 'postgres');
    try {
      const pg = await startEmbeddedPostgres({ dataDir: privateData, database: 'texttune', log: (line) => lines.push(line) });
      running.push(pg);
      await query(pg.url, 'CREATE TABLE here (v int)');
      await pg.stop();
      const again = await startEmbeddedPostgres({ dataDir: privateData, database: 'texttune', log: (line) => lines.push(line) });
      running.push(again);
      expect(await query(again.url, 'SELECT count(*)::int AS n FROM here')).toEqual([{ n: 0 }]); // the same cluster
      await again.stop();
      const moved = lines.map((line) => / in (\/var\/lib\/texttune\/[^ ]+) instead/.exec(line)?.[1]).find(Boolean);
      if (process.getuid?.() === 0) {
        // Root runs Postgres as "postgres", which cannot enter the 0700 checkout: the data moved.
        expect(moved).toMatch(new RegExp(`^${ROOT_DATA_HOME}/`));
        expect(existsSync(path.join(moved!, 'postgres', 'PG_VERSION'))).toBe(true);
        expect(existsSync(path.join(privateData, 'PG_VERSION'))).toBe(false);
        await rm(moved!, { recursive: true, force: true });
      } else {
        // Postgres runs as this user, who owns the checkout: the data stays in it.
        expect(moved).toBeUndefined();
        expect(existsSync(path.join(privateData, 'PG_VERSION'))).toBe(true);
      }
    } finally {
      await rm(privateCheckout, { recursive: true, force: true });
    }
  }, 120_000);
});
