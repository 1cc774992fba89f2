#!/usr/bin/env node
// Added latency of the Gradio Space engine over the Space's own processing time, against
// tools/fake-space (its own process, real HTTP + the real @gradio/client), for each fake app.
//
//   node bench/space/run.cjs [jobs=40] [seconds=5]
//
// "Space" is the fake's own time for a job: queue/join received -> process_completed
// sent (GET /__fake/jobs timings). Two measurements per app:
//   engine  GradioEngine.generate() until the last audio byte is read (connected client:
//           submit, SSE, download, sniffing) minus the Space's time;
//   api     the whole product, in-process (Postgres, in-process queue, local storage):
//           POST /v1/generations -> row 'succeeded' (created_at -> finished_at), minus
//           the Space's time: queue pick-up, engine, storage write, peaks, commit; and
//           the part of it spent from the worker's claim (started_at) on.
// Target: <= 100 ms added (p50 and p95).
require('../../tools/build/register.cjs');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { GradioEngine } = require('../../apps/api/src/engines/gradio/index.ts');
const { createEngines } = require('../../apps/api/src/engines/create-engines.ts');
const { loadConfig } = require('../../apps/api/src/config/app-config.ts');
const { freePort } = require('../../apps/api/src/common/free-port.ts');
const { startTestApp } = require('../../apps/api/test/support/test-app.ts');
const { Logger } = require('@nestjs/common');
const { DataSource } = require('typeorm');
const { performance } = require('node:perf_hooks');
const { setTimeout: sleep } = require('node:timers/promises');

/** tools/fake-space in a process of its own (its rendering must not share our event loop). */
async function startFakeSpace(settings) {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), FAKE_SPACE_APP: settings.app, FAKE_SPACE_TOKEN: settings.requireToken, FAKE_SPACE_DELAY_MS: String(settings.delayMs) };
  const child = spawn(process.execPath, ['-r', './tools/build/register.cjs', 'tools/fake-space/src/main.ts'], { cwd: path.resolve(__dirname, '../..'), env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('listening on') && resolve());
    child.once('exit', (code) => reject(new Error(`fake-space exited ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    reset: () => globalThis.fetch(`${url}/__fake/reset`, { method: 'POST', body: JSON.stringify({ keepSettings: true }) }),
    jobs: async () => (await (await globalThis.fetch(`${url}/__fake/jobs`)).json()).jobs,
    close: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))),
  };
}

const jobs = Number(process.argv[2] ?? 40);
const seconds = Number(process.argv[3] ?? 5);
const APPS = ['musicgen', 'batched', 'stable-audio'];
const TOKEN = 'hf_benchToken';

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const fmt = (n) => n.toFixed(1).padStart(7);
const spaceMs = (job) => job.timings.completedAt - job.timings.joinedAt;

async function benchEngine(space) {
  const engine = new GradioEngine({ space: space.url, token: TOKEN, timeoutSeconds: 60, maxAudioBytes: 200 * 1024 * 1024 });
  const request = (i) => ({ prompt: `bench ${i}`, durationSeconds: seconds, sampleRate: 44100, seed: i, quality: 'draft', sampling: {}, take: 0, userId: 'bench' });
  const context = { signal: new globalThis.AbortController().signal, onProgress: () => undefined };
  const coldStart = performance.now();
  await engine.describe();
  const connectMs = performance.now() - coldStart;
  const run = async (i) => {
    const started = performance.now();
    const audio = await engine.generate(request(i), context);
    let bytes = 0;
    for await (const chunk of audio.body) bytes += chunk.length;
    return { total: performance.now() - started, bytes };
  };
  for (let i = 0; i < 5; i++) await run(i); // warm-up
  await space.reset();
  const totals = [];
  for (let i = 0; i < jobs; i++) totals.push((await run(100 + i)).total);
  const spaces = (await space.jobs()).map(spaceMs);
  await engine.close();
  return { connectMs, spaces, added: totals.map((t, i) => t - spaces[i]) };
}

async function benchApi(space) {
  const env = { HF_SPACE_ID: space.url, HF_API_TOKEN: TOKEN, MAX_DURATION_SECONDS: '60', MAX_ACTIVE_JOBS_PER_USER: '1000', LOG_LEVEL: 'silent' };
  const t = await startTestApp(env, { engines: createEngines(loadConfig({ NODE_ENV: 'test', ...env })) });
  try {
    const login = await t.http().post('/v1/auth/login').send({ email: 'bench@example.com' });
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };
    const pg = t.app.get(DataSource);
    const one = async (i) => {
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: `bench api ${i}`, duration: seconds, seed: i });
      if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${JSON.stringify(res.body)}`);
      for (;;) {
        const [row] = await pg.query(
          `SELECT status, error_message, extract(epoch FROM finished_at - created_at) * 1000 AS total_ms, extract(epoch FROM finished_at - started_at) * 1000 AS run_ms FROM generations WHERE id = $1`,
          [res.body.job_id],
        );
        if (row.status === 'succeeded') return { total: Number(row.total_ms), run: Number(row.run_ms) };
        if (row.status === 'failed' || row.status === 'canceled') throw new Error(`job ${row.status}: ${row.error_message}`);
        await sleep(5);
      }
    };
    for (let i = 0; i < 5; i++) await one(i);
    await space.reset();
    const times = [];
    for (let i = 0; i < jobs; i++) times.push(await one(100 + i));
    const spaces = (await space.jobs()).map(spaceMs);
    return { spaces, added: times.map((t, i) => t.total - spaces[i]), fromClaim: times.map((t, i) => t.run - spaces[i]) };
  } finally {
    await t.close();
  }
}

async function main() {
  Logger.overrideLogger(['error']);
  const originalError = console.error;
  console.error = () => undefined; // @gradio/client's own chatter
  const rows = [];
  for (const app of APPS) {
    const space = await startFakeSpace({ app, requireToken: TOKEN, delayMs: 10 });
    try {
      const engine = await benchEngine(space);
      await space.reset();
      const api = await benchApi(space);
      rows.push({ app, connectMs: engine.connectMs, engine, api });
    } finally {
      await space.close();
    }
  }
  console.error = originalError;
  console.log(`\nGradio Space engine: added latency over the Space's own processing time (${jobs} sequential jobs of ${seconds} s audio per row, after 5 warm-up jobs)\n`);
  console.log('app           path     Space ms p50   added ms p50   added p95   added mean   from claim p50/p95   cold connect ms');
  for (const row of rows) {
    for (const [name, m] of [['engine', row.engine], ['api', row.api]]) {
      const claim = m.fromClaim ? `${fmt(pct(m.fromClaim, 50))} /${fmt(pct(m.fromClaim, 95))}` : '                ';
      console.log(`${row.app.padEnd(13)} ${name.padEnd(8)} ${fmt(pct(m.spaces, 50))}        ${fmt(pct(m.added, 50))}      ${fmt(pct(m.added, 95))}   ${fmt(mean(m.added))}   ${claim}     ${name === 'engine' ? fmt(row.connectMs) : ''}`);
    }
  }
  const worst = Math.max(...rows.flatMap((r) => [pct(r.engine.added, 95), pct(r.api.added, 95)]));
  console.log(`\nworst p95 added: ${worst.toFixed(1)} ms (target <= 100 ms): ${worst <= 100 ? 'OK' : 'OVER TARGET'}`);
}

main().catch((error) => {
  console.log(error);
  process.exit(1);
});
