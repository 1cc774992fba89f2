import type { GenerationResponse } from '@texttune/contracts';
import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { GENERATION_QUEUE } from '../src/queue/queue.constants';
import { eventually, readSse } from './support/helpers';
import { startAppProcess, type AppProcess } from './support/processes';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * The scaled topology for real: one API process and two worker processes (separate
 * Node processes, TEXTTUNE_ROLE=api / worker) sharing this machine's Postgres and Redis
 * and a storage directory. The test engine renders 40 ms per second of audio, so a
 * 100 s track is a job that runs for about 4 s.
 */
describe('pipeline across processes (Bull on Redis)', () => {
  let db: TestDatabase;
  let storageDir: string;
  let env: Record<string, string>;
  let api: AppProcess;
  const workers: AppProcess[] = [];
  let base: string;
  let auth: Record<string, string>;
  let pg: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    storageDir = await mkdtemp(path.join(os.tmpdir(), 'texttune-storage-'));
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `tt-test-${randomBytes(4).toString('hex')}`,
      STORAGE_DIR: storageDir,
      QUEUE_LOCK_SECONDS: '2',
      JOB_BACKOFF_MS: '100',
      MAX_ACTIVE_JOBS_PER_USER: '100',
      TEST_ENGINE_MS_PER_SECOND: '40',
      MAX_DURATION_SECONDS: '120',
      SHUTDOWN_GRACE_SECONDS: '1',
    };
    api = await startAppProcess({ ...env, TEXTTUNE_ROLE: 'api' });
    workers.push(...(await Promise.all([1, 2].map(() => startAppProcess({ ...env, TEXTTUNE_ROLE: 'worker' })))));
    base = `http://127.0.0.1:${api.port}`;
    const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'scale@example.com' }) });
    auth = { Authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, 60_000);

  afterAll(async () => {
    await pg?.end();
    await Promise.all([api, ...workers].filter(Boolean).map((p) => p.stop()));
    await db?.drop();
    await rm(storageDir, { recursive: true, force: true });
    const queue = new Bull(GENERATION_QUEUE, env.REDIS_URL, { prefix: env.REDIS_PREFIX });
    await queue.obliterate({ force: true });
    await queue.close();
  }, 30_000);

  const post = async (body: object): Promise<GenerationResponse> => {
    const res = await fetch(`${base}/v1/generations`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    return (await res.json()) as GenerationResponse;
  };
  const get = async (id: string): Promise<GenerationResponse> => (await (await fetch(`${base}/v1/generations/${id}`, { headers: auth })).json()) as GenerationResponse;
  const waitUntil = (check: () => Promise<boolean>, ms: number) => eventually(check, ms, 100);

  it('processes 50 jobs across two workers, each exactly once', async () => {
    const jobs = await Promise.all(Array.from({ length: 50 }, (_, i) => post({ prompt: `batch ${i}`, duration: 1 })));
    const ids = jobs.map((j) => j.job_id);
    await waitUntil(async () => {
      const { rows } = await pg.query(`SELECT count(*)::int AS n FROM generations WHERE id = ANY($1) AND status IN ('succeeded', 'failed', 'canceled')`, [ids]);
      return rows[0].n === 50;
    }, 60_000);
    const { rows } = await pg.query(`SELECT status, attempts, worker_id, (SELECT count(*)::int FROM tracks t WHERE t.generation_id = g.id) AS tracks FROM generations g WHERE id = ANY($1)`, [ids]);
    expect(rows.every((r) => r.status === 'succeeded' && r.attempts === 1 && r.tracks === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.worker_id)).size).toBe(2);
  }, 90_000);

  it('streams progress from a worker process to the API process over SSE', async () => {
    const job = await post({ prompt: 'watched across processes', duration: 10 });
    const { events } = await readSse(base, `/v1/generations/${job.job_id}/events`, auth);
    expect(events.filter((e) => e.event === 'progress').length).toBeGreaterThan(2);
    expect(events.filter((e) => e.event === 'status').map((e) => e.data.status)).toEqual(expect.arrayContaining(['running', 'succeeded']));
    expect(events.at(-1)).toMatchObject({ event: 'final', data: { status: 'succeeded' } });
  }, 30_000);

  it('cancels a job running in a worker process within 2 s', async () => {
    const job = await post({ prompt: 'cancel across processes', duration: 100 }); // ~4 s of rendering
    await waitUntil(async () => (await get(job.job_id)).status === 'running', 10_000);
    const started = Date.now();
    const res = await fetch(`${base}/v1/generations/${job.job_id}/cancel`, { method: 'POST', headers: auth });
    expect(((await res.json()) as GenerationResponse).status).toBe('canceled');
    expect(Date.now() - started).toBeLessThan(2000);
  }, 30_000);

  it('finishes a job whose worker is killed with -9 mid-job, leaving nothing stuck running', async () => {
    const job = await post({ prompt: 'survive a crash', duration: 100 }); // ~4 s of rendering
    await waitUntil(async () => (await get(job.job_id)).status === 'running', 10_000);
    const { rows } = await pg.query('SELECT worker_id FROM generations WHERE id = $1', [job.job_id]);
    const pid = Number(String(rows[0].worker_id).split(':')[1]);
    const victim = workers.find((w) => w.child.pid === pid);
    expect(victim).toBeDefined();
    await victim!.kill();
    workers.splice(workers.indexOf(victim!), 1);

    await waitUntil(async () => ['succeeded', 'failed'].includes((await get(job.job_id)).status), 30_000);
    const done = await get(job.job_id);
    expect(done.status).toBe('succeeded');
    const after = await pg.query(`SELECT attempts, worker_id FROM generations WHERE id = $1`, [job.job_id]);
    expect(after.rows[0].attempts).toBe(2);
    expect(after.rows[0].worker_id).not.toBe(rows[0].worker_id);

    // A restarted worker joins in.
    workers.push(await startAppProcess({ ...env, TEXTTUNE_ROLE: 'worker' }));
    const stuck = await pg.query(`SELECT count(*)::int AS n FROM generations WHERE status = 'running'`);
    expect(stuck.rows[0].n).toBe(0);
  }, 60_000);
});
