#!/usr/bin/env node
// Time from `npm start` to GET /v1/health/ready answering 200: first run on an empty
// data dir (initdb + migrations), then a second run on the same data.
//
//   node bench/startup/run.mjs [runs=2]
//
// Targets: first run <= 10 s, later runs <= 5 s on the 2-core dev machine.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const runs = Number(process.argv[2] ?? 2);

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function waitReady(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v1/health/ready`);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('not ready in time');
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'texttune-bench-'));
const { chmod } = await import('node:fs/promises');
await chmod(dataDir, 0o755);
const rows = [];
try {
  for (let i = 0; i < runs; i++) {
    const port = await freePort();
    const started = performance.now();
    const child = spawn('npm', ['start'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn', NX_DAEMON: 'false' },
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    });
    await waitReady(port, child, 120_000);
    const ms = performance.now() - started;
    rows.push({ run: i === 0 ? 'first (empty data dir)' : `restart ${i}`, 'ready after (s)': (ms / 1000).toFixed(2), target: i === 0 ? '<= 10' : '<= 5' });
    process.kill(-child.pid, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
console.table(rows);
