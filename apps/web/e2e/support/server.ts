import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, rmdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

export const ROOT = path.resolve(__dirname, '../../../..');
const run = promisify(execFile);

/** The machine's Postgres (as for the API's integration tests); each run gets a database of its own. */
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface RunningProduct {
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * What `npm start` runs, built as it builds it: the web client with `nx build web`
 * (production, budgets enforced; Nx's cache makes a repeat instant) and the API
 * compiled into a folder of this run's own (so a concurrent `nx build api` cannot
 * pull it away). Returns the API's entry file.
 */
export async function buildProduct(): Promise<{ entry: string; cleanup(): Promise<void> }> {
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' };
  // One web build at a time: end-to-end files running in parallel workers share dist/apps/web
  // (the second finds Nx's cache and leaves the files as they are).
  await withLock(path.join(ROOT, 'tmp', 'web-e2e-build.lock'), () =>
    run(process.execPath, [require.resolve('nx/bin/nx.js'), 'run', 'web:build', '--output-style=static'], { cwd: ROOT, env, maxBuffer: 32 * 1024 * 1024 }),
  );
  const outDir = path.join(ROOT, 'tmp', `web-e2e-api-${process.pid}-${randomBytes(3).toString('hex')}`);
  await run(process.execPath, ['tools/build/build-node.mjs', 'apps/api', path.relative(ROOT, outDir)], { cwd: ROOT, env });
  return { entry: path.join(outDir, 'main.js'), cleanup: () => rm(outDir, { recursive: true, force: true }) };
}

/** Runs `fn` holding a lock directory (taken over when a crashed run left it for 10 minutes). */
async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(dir), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      await mkdir(dir);
      break;
    } catch {
      const age = await stat(dir).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 10 * 60_000 || Date.now() > deadline) await rmdir(dir).catch(() => undefined);
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(dir).catch(() => undefined);
  }
}

/**
 * Starts the built server the way `npm start` does (offline engine, in-process queue),
 * on a fresh database and storage folder, and waits until it is ready.
 */
export async function startProduct(entry: string, env: Record<string, string> = {}): Promise<RunningProduct> {
  const database = `tt_web_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${database}`));
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${database}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'texttune-web-e2e-'));
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl.toString(),
    DATA_DIR: path.join(dataDir, 'data'),
    STORAGE_DIR: path.join(dataDir, 'storage'),
    JWT_SECRET: 'web-e2e-secret-that-is-long-enough-0123456789',
    AUTH_MODE: 'open',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    TEXTTUNE_ROLE: 'all',
    ...env,
  };
  delete childEnv.REDIS_URL;
  const child: ChildProcess = spawn(process.execPath, [entry], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;

  const cleanup = async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await cleanup();
      throw new Error(`the server exited (${child.exitCode}) before it was ready:\n${output}`);
    }
    const ready = await fetch(`${baseUrl}/v1/health/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await cleanup();
      throw new Error(`the server was not ready within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      await cleanup();
    },
  };
}
