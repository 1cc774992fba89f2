#!/usr/bin/env node
// Pipeline overhead with a zero-time engine, on this machine's Postgres and Redis:
// enqueue->start latency (row created -> claimed by a worker) p50/p99, end-to-end
// (created -> succeeded) p50/p99 at a steady request rate, and jobs/s under a burst.
//
//   node bench/pipeline/run.cjs [latencyJobs=200] [burstJobs=1000]
//
// BENCH_SCENARIOS=inproc,bull1,bull2 picks scenarios (all by default). BENCH_CPU=1 also
// prints, per scenario, the CPU time per job each part used during the burst (API,
// workers, Postgres backends, Redis, this client): on a shared machine, a steadier
// measure than jobs/s, and the ceiling it sets.
// BENCH_PROFILE_DIR=dir runs the app processes with --cpu-prof, writing there.
//
// Targets: p50 <= 15 ms, p99 <= 50 ms end-to-end overhead, >= 200 jobs/s
// with 2 Bull workers.
require('../../tools/build/register.cjs');
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { readFileSync, readdirSync } = require('node:fs');
const { mkdtemp, rm } = require('node:fs/promises');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const Bull = require('bull');
const { freePort } = require('../../apps/api/src/common/free-port.ts');
const { startAppProcess: startTestProcess } = require('../../apps/api/test/support/processes.ts');
const { createTestDatabase } = require('../../apps/api/test/support/test-database.ts');

/** The test helper's process, or (BENCH_PROFILE_DIR) the same command under --cpu-prof. */
async function startAppProcess(env) {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return startTestProcess(env);
  const role = env.TEXTTUNE_ROLE;
  const port = role === 'worker' ? undefined : await freePort();
  const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', path.resolve(dir), '--cpu-prof-name', `${role}-${Date.now()}.cpuprofile`, '-r', './tools/build/register.cjs', 'apps/api/test/support/app-process.ts'], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', JWT_SECRET: 'test-secret-that-is-long-enough-0123456789', ...env, ...(port ? { PORT: String(port) } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => String(c).includes('READY') && resolve());
    child.once('exit', (code) => reject(new Error(`${role} exited (${code}) before ready`)));
  });
  return { child, role, port, stop: async () => (child.kill('SIGTERM'), await exited) };
}

const latencyJobs = Number(process.argv[2] ?? 200);
const burstJobs = Number(process.argv[3] ?? 1000);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const CLK_TCK = 100;

/** utime + stime of a process, in seconds (Linux /proc). */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}
/** pids whose command name is `name` */
function pidsNamed(name) {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    });
}
function cpuSnapshot(procs) {
  const sum = (pids) => pids.reduce((total, pid) => total + cpuSeconds(pid), 0);
  const snap = { bench: process.cpuUsage(), postgres: new Map(), redis: sum(pidsNamed('redis-server')) };
  for (const pid of pidsNamed('postgres')) snap.postgres.set(pid, cpuSeconds(pid));
  snap.procs = procs.map((p) => cpuSeconds(p.child.pid));
  return snap;
}
function cpuReport(name, procs, before, after, seconds, jobs) {
  let postgres = 0;
  for (const [pid, used] of after.postgres) postgres += used - (before.postgres.get(pid) ?? 0);
  const bench = process.cpuUsage(before.bench);
  const used = (role) => procs.reduce((sum, p, i) => sum + (p.role === role ? after.procs[i] - before.procs[i] : 0), 0);
  const parts = { api: used('api') + used('all'), workers: used('worker'), postgres, redis: after.redis - before.redis, client: (bench.user + bench.system) / 1e6 };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  const perJob = (s) => ((s * 1000) / jobs).toFixed(2);
  return {
    scenario: name,
    'wall s': seconds.toFixed(2),
    'API ms/job': perJob(parts.api),
    'workers ms/job': perJob(parts.workers),
    'postgres ms/job': perJob(parts.postgres),
    'redis ms/job': perJob(parts.redis),
    'client ms/job': perJob(parts.client),
    'total CPU ms/job': perJob(total),
    // what the CPU alone would allow if every core worked for this pipeline only
    [`ceiling jobs/s (${os.cpus().length} cores)`]: ((os.cpus().length * jobs) / total).toFixed(0),
  };
}
const cpuRows = [];

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
    // node:http with keep-alive rather than fetch: the client shares the 2 cores with the
    // processes it measures, and undici's fetch costs about twice the CPU per request.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const request = (path, headers, body) =>
      new Promise((resolve, reject) => {
        const req = http.request(`${base}${path}`, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode, text }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    const signIn = async (email) => {
      const login = await request('/v1/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ email }));
      return { Authorization: `Bearer ${JSON.parse(login.text).accessToken}`, 'content-type': 'application/json' };
    };
    // 16 users, as many clients: per-user limits serialise one user's requests on purpose.
    const users = await Promise.all(Array.from({ length: 16 }, (_, i) => signIn(`bench${i}@example.com`)));
    const post = async (i, auth = users[0]) => {
      const res = await request('/v1/generations', auth, JSON.stringify({ prompt: `bench ${i}`, duration: 1, samplerate: 16000 }));
      if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${res.text}`);
      return JSON.parse(res.text).job_id;
    };
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    // Every job in this database is the bench's: wait until none is unfinished (a cheap
    // count on the partial indexes, polled every 20 ms), then check they all succeeded.
    const waitDone = async (ids) => {
      for (;;) {
        const { rows } = await pg.query(`SELECT count(*)::int AS n FROM generations WHERE status IN ('queued', 'running')`);
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const { rows } = await pg.query(`SELECT count(*)::int AS n FROM generations WHERE id = ANY($1) AND status = 'succeeded'`, [ids]);
      if (rows[0].n !== ids.length) throw new Error(`${ids.length - rows[0].n} of ${ids.length} jobs did not succeed`);
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
    const cpuBefore = process.env.BENCH_CPU ? cpuSnapshot(procs) : undefined;
    const began = Date.now();
    const burst = [];
    let next = 0;
    await Promise.all(users.map(async (auth) => {
      while (next < burstJobs) burst.push(await post(`burst ${next++}`, auth));
    }));
    await waitDone(burst);
    const seconds = (Date.now() - began) / 1000;
    if (cpuBefore) cpuRows.push(cpuReport(name, procs, cpuBefore, cpuSnapshot(procs), seconds, burstJobs));
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
  const wanted = (process.env.BENCH_SCENARIOS ?? 'inproc,bull1,bull2').split(',');
  const rows = [];
  if (wanted.includes('inproc')) rows.push(await scenario('in-process (1 process)', 0, false));
  if (wanted.includes('bull1')) rows.push(await scenario('Bull, 1 worker', 1, true));
  if (wanted.includes('bull2')) rows.push(await scenario('Bull, 2 workers', 2, true));
  console.table(rows);
  if (cpuRows.length) console.table(cpuRows);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
