#!/usr/bin/env node
// The session check under load: an authenticated GET /v1/me (the smallest signed-in
// route: one session check, no other database work) driven by Debian's wrk, with the
// authentication cache on (AUTH_CACHE_SECONDS=60) and off (0), in alternating rounds
// against one database. The table shows wrk's own CPU (it must stay well below a core
// for the ratio to describe the server) and the server's CPU per request.
//
//   node bench/auth/run.cjs [seconds per run=6] [rounds=5] [connections=10]
require('../../tools/build/register.cjs');
const { execFile } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { mkdtemp, rm } = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { startAppProcess } = require('../../apps/api/test/support/processes.ts');
const { createTestDatabase } = require('../../apps/api/test/support/test-database.ts');

const seconds = Number(process.argv[2] ?? 6);
const rounds = Number(process.argv[3] ?? 5);
const connections = Number(process.argv[4] ?? 10);
const WARM_UP_SECONDS = 3;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds a process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Runs wrk under /usr/bin/time; returns its figures and its own CPU seconds. */
function wrk(url, token, duration) {
  const args = ['-f', '%U %S', 'wrk', '-t1', `-c${connections}`, `-d${duration}s`, '--latency', '-H', `Authorization: Bearer ${token}`, url];
  return new Promise((resolve, reject) =>
    execFile('/usr/bin/time', args, (error, stdout, stderr) => {
      if (error) return reject(new Error(`wrk failed: ${stderr}`));
      const number = (re) => {
        const m = stdout.match(re);
        if (!m) throw new Error(`wrk printed no ${re}:\n${stdout}`);
        return m[1];
      };
      const ms = (text) => (text.endsWith('us') ? parseFloat(text) / 1000 : text.endsWith('ms') ? parseFloat(text) : parseFloat(text) * 1000);
      if (/Non-2xx/.test(stdout)) return reject(new Error(`non-2xx answers:\n${stdout}`));
      const [user, system] = stderr.trim().split('\n').pop().split(' ').map(Number);
      resolve({
        rps: Number(number(/Requests\/sec:\s+([\d.]+)/)),
        requests: Number(number(/(\d+) requests in/)),
        p50: ms(number(/50%\s+([\d.]+\w+)/)),
        p99: ms(number(/99%\s+([\d.]+\w+)/)),
        clientCpu: user + system,
      });
    }),
  );
}

async function main() {
  const db = await createTestDatabase();
  const storage = await mkdtemp(path.join(os.tmpdir(), 'bench-storage-'));
  const results = { on: [], off: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [label, cacheSeconds] of [['on', '60'], ['off', '0']]) {
        const app = await startAppProcess({ DATABASE_URL: db.url, STORAGE_DIR: storage, LOG_LEVEL: 'warn', AUTH_CACHE_SECONDS: cacheSeconds }, 120_000);
        try {
          const base = `http://127.0.0.1:${app.port}`;
          const res = await fetch(`${base}/v1/auth/guest`, { method: 'POST' });
          const { accessToken } = await res.json();
          await wrk(`${base}/v1/me`, accessToken, WARM_UP_SECONDS);
          const before = cpuSeconds(app.child.pid);
          const r = await wrk(`${base}/v1/me`, accessToken, seconds);
          r.serverCpuPerRequest = ((cpuSeconds(app.child.pid) - before) / r.requests) * 1e6;
          results[label].push(r);
        } finally {
          await app.stop();
        }
      }
    }
  } finally {
    await db.drop();
    await rm(storage, { recursive: true, force: true });
  }
  const median = (xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const middle = sorted.length / 2;
    return Number.isInteger(middle) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[Math.floor(middle)];
  };
  const table = [['GET /v1/me', 'req/s', 'p50', 'p99', 'wrk CPU', 'server CPU/req']];
  for (const label of ['on', 'off']) {
    for (const [i, r] of results[label].entries()) {
      table.push([`cache ${label} #${i + 1}`, r.rps.toFixed(0), `${r.p50.toFixed(2)} ms`, `${r.p99.toFixed(2)} ms`, `${((r.clientCpu / seconds) * 100).toFixed(0)} %`, `${r.serverCpuPerRequest.toFixed(0)} µs`]);
    }
  }
  const rps = (label) => median(results[label].map((r) => r.rps));
  const p50 = (label) => median(results[label].map((r) => r.p50));
  const cpu = (label) => median(results[label].map((r) => r.serverCpuPerRequest));
  for (const label of ['on', 'off']) table.push([`cache ${label} (median)`, rps(label).toFixed(0), `${p50(label).toFixed(2)} ms`, '', '', `${cpu(label).toFixed(0)} µs`]);
  table.push(['on / off (medians)', (rps('on') / rps('off')).toFixed(2), (p50('on') / p50('off')).toFixed(2), '', '', (cpu('on') / cpu('off')).toFixed(2)]);
  console.log(`${connections} connections, 1 wrk thread, ${seconds} s per run after ${WARM_UP_SECONDS} s of warm-up, ${rounds} rounds\n`);
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
