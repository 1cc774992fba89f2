import type { GenerationResponse } from '@texttune/contracts';
import Bull from 'bull';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../src/common/free-port';
import { MIGRATIONS } from '../src/database/migrations';
import { GENERATION_QUEUE } from '../src/queue/queue.constants';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * The compose topology without Docker: the BUILT app (dist, as in the image), started
 * through the image's entrypoint (docker/entrypoint.sh) with TEXTTUNE_ROLE, in production
 * mode, against this machine's Postgres and Redis, sharing one storage directory, with
 * the offline engine (about 60 ms of CPU per second of audio). Two API processes start
 * at once on an empty database; then one API and two workers render jobs end to end;
 * a worker is killed with -9 and restarted, another is stopped with SIGTERM mid-job.
 */
const ROOT = path.resolve(__dirname, '../../..');
const ENTRYPOINT = path.join(ROOT, 'docker/entrypoint.sh');
const HEALTHCHECK = path.join(ROOT, 'docker/healthcheck.cjs');

interface Proc {
  name: string;
  child: ChildProcess;
  port?: number;
  healthFile?: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

describe('deployment topology, built app (1 API + 2 workers)', () => {
  let workDir: string;
  let appDir: string;
  let db: TestDatabase;
  let pg: Client;
  let env: Record<string, string>;
  const procs: Proc[] = [];
  let api: Proc;
  let base: string;
  let auth: Record<string, string>;
  /** a finished 90-second track (a 16 MB WAV) */
  let longJobId: string;

  const start = async (name: string, role: 'api' | 'worker', extra: Record<string, string> = {}): Promise<Proc> => {
    const port = role === 'api' ? await freePort() : undefined;
    const healthFile = path.join(workDir, `${name}.health.json`);
    const child = spawn('/bin/sh', [ENTRYPOINT, 'serve'], {
      cwd: workDir, // no .env here: only this environment counts
      env: { ...env, TEXTTUNE_ROLE: role, HEALTH_FILE: healthFile, ...(port ? { PORT: String(port) } : {}), ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const proc: Proc = { name, child, port, healthFile, output: () => output, exited };
    procs.push(proc);
    return proc;
  };

  const until = async (what: string, check: () => Promise<boolean>, ms: number, proc?: Proc) => {
    const deadline = Date.now() + ms;
    while (!(await check().catch(() => false))) {
      if (proc && proc.child.exitCode !== null) throw new Error(`${proc.name} exited while waiting for ${what}:\n${proc.output()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${proc ? `:\n${proc.output().slice(-3000)}` : ''}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  const ready = (proc: Proc) => until(`${proc.name} ready`, async () => (await fetch(`http://127.0.0.1:${proc.port}/v1/health/ready`)).status === 200, 60_000, proc);
  const healthy = (proc: Proc) =>
    until(`${proc.name} healthy`, async () => JSON.parse(await readFile(proc.healthFile!, 'utf8')).status === 'ok', 60_000, proc);
  const healthcheck = async (envOverrides: Record<string, string>, args: string[] = []) => {
    try {
      await promisify(execFile)(process.execPath, [HEALTHCHECK, ...args], { env: { PATH: process.env.PATH ?? '', ...envOverrides } });
      return 0;
    } catch (error) {
      return (error as { code?: number }).code ?? 1;
    }
  };
  const stop = async (proc: Proc, signal: NodeJS.Signals = 'SIGTERM') => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
    return proc.exited;
  };

  const post = async (body: object): Promise<GenerationResponse> => {
    const res = await fetch(`${base}/v1/generations`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    return (await res.json()) as GenerationResponse;
  };
  const row = async (id: string) =>
    (await pg.query(`SELECT status, attempts, worker_id, error_code, finished_at FROM generations WHERE id = $1`, [id])).rows[0] as {
      status: string;
      attempts: number;
      worker_id: string | null;
      error_code: string | null;
      finished_at: Date | null;
    };
  const finished = (id: string, ms = 60_000) => until(`job ${id} finished`, async () => ['succeeded', 'failed', 'canceled'].includes((await row(id)).status), ms);
  const runningOn = async (id: string) => {
    await until(`job ${id} running`, async () => (await row(id)).status === 'running', 30_000);
    const pid = Number(String((await row(id)).worker_id).split(':')[1]);
    return procs.find((p) => p.child.pid === pid && p.child.exitCode === null);
  };

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'texttune-topology-'));
    // Built like the image: <APP_DIR>/dist/apps/api, inside the repository so node_modules resolve.
    appDir = path.join(ROOT, 'tmp', `topology-${process.pid}-${randomBytes(3).toString('hex')}`);
    await mkdir(appDir, { recursive: true });
    await promisify(execFile)(process.execPath, ['tools/build/build-node.mjs', 'apps/api', path.join(appDir, 'dist/apps/api')], { cwd: ROOT });
    db = await createTestDatabase();
    const storage = path.join(workDir, 'storage');
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      APP_DIR: appDir,
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('hex'),
      METRICS_PUBLIC: 'true',
      DATABASE_URL: db.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `tt-topo-${randomBytes(4).toString('hex')}`,
      STORAGE_DIR: storage,
      HOST: '127.0.0.1',
      // A killed worker's job comes back within seconds, and a live worker rendering on a
      // CPU-starved test machine still renews its lock in time (one that misses it is counted
      // as stalled by Bull, and its job is run again and uses up an attempt).
      QUEUE_LOCK_SECONDS: '5',
      JOB_BACKOFF_MS: '100',
      SHUTDOWN_GRACE_SECONDS: '1',
      MAX_ACTIVE_JOBS_PER_USER: '100',
      MAX_DURATION_SECONDS: '300',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    };
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => stop(p, 'SIGKILL')));
    await pg?.end();
    await db?.drop();
    const queue = new Bull(GENERATION_QUEUE, env.REDIS_URL, { prefix: env.REDIS_PREFIX });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await rm(workDir, { recursive: true, force: true });
    if (appDir) await rm(appDir, { recursive: true, force: true });
  }, 30_000);

  it('starts two API processes at once on an empty database: each migration applied exactly once', async () => {
    const [first, second] = await Promise.all([start('api-1', 'api'), start('api-2', 'api')]);
    await Promise.all([ready(first), ready(second)]);
    const { rows } = await pg.query(`SELECT name, count(*)::int AS n FROM migrations GROUP BY name`);
    expect(rows.map((r) => r.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    expect(rows.every((r) => r.n === 1)).toBe(true);
    // The entrypoint migrated in each API process, under the advisory lock: one applied, one found nothing to do.
    const outputs = [first.output(), second.output()];
    expect(outputs.filter((o) => /applied: /.test(o))).toHaveLength(1);
    expect(outputs.filter((o) => /nothing to apply/.test(o))).toHaveLength(1);

    // One API is enough from here; it leaves cleanly on SIGTERM.
    api = first;
    base = `http://127.0.0.1:${api.port}`;
    expect(await stop(second)).toEqual({ code: 0, signal: null });
    expect(await healthcheck({ TEXTTUNE_ROLE: 'api', PORT: String(api.port) })).toBe(0);
  }, 120_000);

  it('renders jobs end to end across two worker processes, into the shared storage', async () => {
    const workers = await Promise.all([start('worker-1', 'worker'), start('worker-2', 'worker')]);
    await Promise.all(workers.map(healthy));
    for (const w of workers) expect(await healthcheck({ TEXTTUNE_ROLE: 'worker', HEALTH_FILE: w.healthFile! })).toBe(0);

    const register = await fetch(`${base}/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ops@example.com', password: 'correct horse battery' }) });
    expect(register.status).toBe(201);
    auth = { Authorization: `Bearer ${((await register.json()) as { accessToken: string }).accessToken}` };

    const jobs = await Promise.all(Array.from({ length: 10 }, (_, i) => post({ prompt: `calm piano, take ${i}`, duration: 3 })));
    for (const job of jobs) await finished(job.job_id, 90_000);
    const { rows } = await pg.query(`SELECT g.status, g.worker_id, (SELECT count(*)::int FROM tracks t WHERE t.generation_id = g.id) AS tracks FROM generations g WHERE id = ANY($1)`, [
      jobs.map((j) => j.job_id),
    ]);
    expect(rows.map((r) => r.status)).toEqual(Array(10).fill('succeeded'));
    expect(rows.every((r) => r.tracks === 1)).toBe(true);
    expect(new Set(rows.map((r) => String(r.worker_id).split(':')[1])).size).toBe(2);

    // A worker wrote it; the API serves it from the shared directory.
    const done = (await (await fetch(`${base}/v1/generations/${jobs[0].job_id}`, { headers: auth })).json()) as GenerationResponse;
    const audio = await fetch(`${base}/v1/stream/${done.track_ids[0]}`, { headers: { ...auth, Range: 'bytes=0-3' } });
    expect(audio.status).toBe(206);
    expect(Buffer.from(await audio.arrayBuffer()).toString()).toBe('RIFF');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^texttune_jobs\{status="succeeded",engine="offline",role="api"\} 10$/m);
  }, 180_000);

  it('finishes a job whose worker is killed with -9, and a restarted worker joins in', async () => {
    const job = await post({ prompt: 'survives a crash', duration: 300, variations: 4 });
    longJobId = job.job_id;
    const victim = await runningOn(job.job_id);
    expect(victim).toBeDefined();
    await stop(victim!, 'SIGKILL');
    await finished(job.job_id, 90_000);
    expect(await row(job.job_id)).toMatchObject({ status: 'succeeded', attempts: 2 });

    const restarted = await start(`${victim!.name}-restarted`, 'worker');
    await healthy(restarted);
    expect((await pg.query(`SELECT count(*)::int AS n FROM generations WHERE status = 'running'`)).rows[0].n).toBe(0);
    const after = await post({ prompt: 'after the restart', duration: 2 });
    await finished(after.job_id);
    expect((await row(after.job_id)).status).toBe('succeeded');
  }, 180_000);

  it('hands a job back when its worker is stopped with SIGTERM (rolling restart), losing nothing', async () => {
    const job = await post({ prompt: 'rolling restart', duration: 300, variations: 4 });
    const worker = await runningOn(job.job_id);
    expect(worker).toBeDefined();
    const stopped = Date.now();
    expect(await stop(worker!)).toEqual({ code: 0, signal: null });
    // Within SHUTDOWN_GRACE_SECONDS (1 s) plus closing time.
    expect(Date.now() - stopped).toBeLessThan(15_000);
    expect(existsSync(worker!.healthFile!)).toBe(false);
    await finished(job.job_id, 120_000);
    const done = await row(job.job_id);
    expect(done.status).toBe('succeeded');
    expect(Number(String(done.worker_id).split(':')[1])).not.toBe(worker!.child.pid);
  }, 180_000);

  it('stops an API process on SIGTERM once its in-flight requests are done (a download in progress completes)', async () => {
    const other = await start('api-3', 'api');
    await ready(other);
    const done = (await (await fetch(`${base}/v1/generations/${longJobId}`, { headers: auth })).json()) as GenerationResponse;
    const received = await new Promise<{ length: number; expected: number }>((resolve, reject) => {
      http
        .get(`http://127.0.0.1:${other.port}/v1/download/${done.track_ids[0]}`, { headers: auth }, (res) => {
          let length = 0;
          res.once('data', () => {
            // Mid-download: stop the process, then read the rest slowly.
            res.pause();
            other.child.kill('SIGTERM');
            setTimeout(() => res.resume(), 500);
          });
          res.on('data', (c: Buffer) => (length += c.length));
          res.on('end', () => resolve({ length, expected: Number(res.headers['content-length']) }));
          res.on('error', reject);
        })
        .on('error', reject);
    });
    expect(received.expected).toBeGreaterThan(10 * 1024 * 1024);
    expect(received.length).toBe(received.expected);
    expect(await other.exited).toEqual({ code: 0, signal: null });
  }, 120_000);

  // KNOWN GAP (generations/, not this change): the API's SSE streams stay open until their
  // job ends, and Nest's HTTP server waits for them, so SIGTERM takes as long as the
  // longest running job (or until the container is killed). Marked `failing` until
  // GenerationsController ends its open streams before shutdown; then make it `it`.
  it('ends open SSE streams on SIGTERM instead of waiting for their jobs', async () => {
    const job = await post({ prompt: 'watched while the API stops', duration: 300, variations: 4 });
    await runningOn(job.job_id);
    const events: string[] = [];
    const sse = new Promise<void>((resolve, reject) => {
      http
        .get(`${base}/v1/generations/${job.job_id}/events`, { headers: { ...auth, Accept: 'text/event-stream' } }, (res) => {
          res.on('data', (c: Buffer) => events.push(c.toString()));
          res.on('end', resolve);
          res.on('error', reject);
        })
        .on('error', reject);
    });
    await until('the first SSE event', async () => events.length > 0, 10_000);
    const stopped = Date.now();
    api.child.kill('SIGTERM');
    await Promise.race([sse, new Promise((r) => setTimeout(r, 5000))]);
    const ended = Date.now();
    expect(ended - stopped).toBeLessThan(5000);
    expect(await api.exited).toEqual({ code: 0, signal: null });
    // The stream ended while the job was still rendering (the workers go on with it).
    const { finished_at: finishedAt } = await row(job.job_id);
    expect(finishedAt === null || finishedAt.getTime() > ended).toBe(true);
  }, 120_000);
});
