#!/usr/bin/env node
// Pipeline overhead with a zero-time engine, on this machine's Postgres and Redis:
// enqueue->start latency (row created -> claimed by a worker) p50/p99, end-to-end
// (created -> succeeded) p50/p99 at a steady request rate, and jobs/s under a burst.
//
//   node bench/pipeline/run.cjs [latencyJobs=200] [burstJobs=1000]
//
// Targets (issue #3): p50 <= 15 ms, p99 <= 50 ms end-to-end overhead, >= 200 jobs/s
// with 2 Bull workers.
require('../../tools/build/register.cjs');
const { randomBytes } = require('node:crypto');
const { mkdtemp, rm } = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const Bull = require('bull');
const { startAppProcess } = require('../../apps/api/test/support/processes.ts');
const { createTestDatabase } = require('../../apps/api/test/support/test-database.ts');

const latencyJobs = Number(process.argv[2] ?? 200);
const burstJobs = Number(process.argv[3] ?? 1000);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function scenario(name, workers, redis) {
  const db = await createTestDatabase();
  const storageDir = await mkdtemp(path.join(os.tmpdir(), 'texttune-bench-'));
  const prefix = `tt-bench-${randomBytes(4).toString('hex')}`;
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redis ? REDIS_URL : '',
    REDIS_PREFIX: prefix,
    STORAGE_DIR: storageDir,
    MAX_ACTIVE_JOBS_PER_USER: '1000',
    MAX_QUEUE_LENGTH: '100000',
    TEST_ENGINE_MS_PER_SECOND: '0',
    WORKER_CONCURRENCY: '4',
    LOG_LEVEL: 'error',
  };
  const procs = [];
  try {
    const api = await startAppProcess({ ...env, TEXTTUNE_ROLE: redis ? 'api' : 'all' });
    procs.push(api);
    for (let i = 0; i < workers; i++) procs.push(await startAppProcess({ ...env, TEXTTUNE_ROLE: 'worker' }));
    const base = `http://127.0.0.1:${api.port}`;
    const signIn = async (email) => {
      const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
      return { Authorization: `Bearer ${(await login.json()).accessToken}`, 'content-type': 'application/json' };
    };
    // 16 users, as many clients: per-user limits serialise one user's requests on purpose.
    const users = await Promise.all(Array.from({ length: 16 }, (_, i) => signIn(`bench${i}@example.com`)));
    const post = async (i, auth = users[0]) => {
      const res = await fetch(`${base}/v1/generations`, { method: 'POST', headers: auth, body: JSON.stringify({ prompt: `bench ${i}`, duration: 1, samplerate: 16000 }) });
      if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
      return (await res.json()).job_id;
    };
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const waitDone = async (ids) => {
      for (;;) {
        const { rows } = await pg.query(`SELECT count(*)::int AS n FROM generations WHERE id = ANY($1) AND status = 'succeeded'`, [ids]);
        if (rows[0].n === ids.length) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    // warm-up
    await waitDone(await Promise.all(Array.from({ length: 20 }, (_, i) => post(`warm ${i}`))));

    // Latency at a steady rate (50 requests/s).
    const steady = [];
    for (let i = 0; i < latencyJobs; i++) {
      steady.push(await post(i));
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitDone(steady);
    const { rows } = await pg.query(
      `SELECT extract(epoch FROM started_at - created_at) * 1000 AS start_ms, extract(epoch FROM finished_at - created_at) * 1000 AS total_ms FROM generations WHERE id = ANY($1)`,
      [steady],
    );
    const start = rows.map((r) => Number(r.start_ms)).sort((a, b) => a - b);
    const total = rows.map((r) => Number(r.total_ms)).sort((a, b) => a - b);

    // Throughput: a burst from 16 concurrent clients.
    const began = Date.now();
    const burst = [];
    let next = 0;
    await Promise.all(users.map(async (auth) => {
      while (next < burstJobs) burst.push(await post(`burst ${next++}`, auth));
    }));
    await waitDone(burst);
    const seconds = (Date.now() - began) / 1000;
    await pg.end();
    return {
      scenario: name,
      'start p50 ms': start.length ? pct(start, 50).toFixed(1) : '-',
      'start p99 ms': pct(start, 99).toFixed(1),
      'end-to-end p50 ms': pct(total, 50).toFixed(1),
      'end-to-end p99 ms': pct(total, 99).toFixed(1),
      'jobs/s (burst)': (burstJobs / seconds).toFixed(0),
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await db.drop();
    await rm(storageDir, { recursive: true, force: true });
    if (redis) {
      const q = new Bull('generations', REDIS_URL, { prefix });
      await q.obliterate({ force: true });
      await q.close();
    }
  }
}

(async () => {
  const rows = [];
  rows.push(await scenario('in-process (1 process)', 0, false));
  rows.push(await scenario('Bull, 1 worker', 1, true));
  rows.push(await scenario('Bull, 2 workers', 2, true));
  console.table(rows);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
