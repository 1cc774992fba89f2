import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/common/free-port';
import { eventually } from './support/helpers';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const ROOT = path.resolve(__dirname, '../../..');
const REDIS = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

/** The production entry point (apps/api/src/main.ts) in JSON log mode, every byte it prints kept. */
function startMain(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ['-r', './tools/build/register.cjs', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'test', LOG_FORMAT: 'json', LOG_LEVEL: 'info', JWT_SECRET: 'test-secret-that-is-long-enough-0123456789', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (c: Buffer) => (output.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output.stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    output,
    lines: () => [...output.stdout.split('\n'), ...output.stderr.split('\n')].filter((line) => line.trim() !== ''),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Redis reachable on `port` from now on: a TCP relay to the test Redis. */
async function relayRedisOn(port: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(REDIS.port || 6379), REDIS.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const UNREACHABLE = /Redis at 127\.0\.0\.1:\d+ is unreachable/;
const BACK = /Redis at 127\.0\.0\.1:\d+ is reachable again/;

describe('a Redis outage in the logs', () => {
  let db: TestDatabase;
  let storageDir: string;
  let relay: Awaited<ReturnType<typeof relayRedisOn>> | undefined;
  const processes: ReturnType<typeof startMain>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    storageDir = await mkdtemp(path.join(os.tmpdir(), 'texttune-redis-outage-'));
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await relay?.close();
    await db?.drop();
    await rm(storageDir, { recursive: true, force: true });
  });

  it('is one JSON line when Redis refuses and one when it answers again, in the API and in a worker', async () => {
    const port = await freePort(); // nothing listens there: connections are refused
    const env = { DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PREFIX: `tt-test-${randomBytes(4).toString('hex')}`, STORAGE_DIR: storageDir, SHUTDOWN_GRACE_SECONDS: '1' };
    const api = startMain({ ...env, TEXTTUNE_ROLE: 'api', PORT: String(await freePort()) });
    const worker = startMain({ ...env, TEXTTUNE_ROLE: 'worker' });
    processes.push(api, worker);

    // Waits that run out fall through to the assertions below, which show what was printed instead.
    await eventually(async () => processes.every((p) => UNREACHABLE.test(p.output.stdout + p.output.stderr)), 30_000, 200).catch(() => undefined);
    // ioredis retries every 2 s at most and Bull's connections sooner at first: several failed attempts each.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    relay = await relayRedisOn(port);
    await eventually(async () => processes.every((p) => BACK.test(p.output.stdout + p.output.stderr)), 45_000, 200).catch(() => undefined);
    await Promise.all(processes.map((p) => p.stop()));

    for (const [name, p] of [['api', api], ['worker', worker]] as const) {
      const lines = p.lines();
      const notJson = lines.filter((line) => {
        try {
          return typeof JSON.parse(line) !== 'object';
        } catch {
          return true;
        }
      });
      expect({ name, notJson }).toEqual({ name, notJson: [] });
      const messages = lines.map((line) => (JSON.parse(line) as { msg?: unknown }).msg).map((msg) => (typeof msg === 'string' ? msg : ''));
      expect({ name, down: messages.filter((m) => UNREACHABLE.test(m)).length, up: messages.filter((m) => BACK.test(m)).length }).toEqual({ name, down: 1, up: 1 });
      expect(lines.filter((line) => line.includes('[ioredis]'))).toEqual([]);
    }
  }, 120_000);
});
