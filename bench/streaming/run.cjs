#!/usr/bin/env node
// Streaming: TextTune's /v1/stream against nginx serving the same file on loopback
// (one nginx worker, as our server is one process), with wrk (one thread), 32 connections:
//   - full-file GETs: bytes/s (target >= 0.7x nginx)
//   - 64 KiB random-offset Range GETs, each authenticated and authorized as in
//     production (the JWT verified, the session and the track checked: read from the
//     database by the first request, then from memory until they change, as for a
//     player's seeks; auth/auth-cache.ts): requests/s (target >= 0.3x nginx)
//   - time to first byte of a 64 KiB range on an idle server, one request at a time:
//     p50/p99 (target p99 <= 5 ms)
// wrk's own CPU time is printed beside each run: below one CPU-second per second, its
// thread waited on the server, so the figure is the server's. Runs alternate between the
// two servers (the cores are shared); the best of `runs` is kept for each.
//
//   node bench/streaming/run.cjs [seconds per run = 10] [runs, best kept = 1]
//
// Needs nginx (`apt-get install nginx-light`), wrk, /usr/bin/time and this machine's Postgres.
const { Client } = require('pg');
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const { guestTrack, withApi, startNginx, wrk, writeRangeScript, printTable, runBench } = require('../support/harness.cjs');
const { freePort } = require('../../apps/api/src/common/free-port.ts');

const seconds = Number(process.argv[2] ?? 10);
const runs = Number(process.argv[3] ?? 1);
const CONNECTIONS = 32;
const RANGE = 64 * 1024;

/**
 * Time to first byte (response headers) of one request at a time, on an otherwise idle
 * server, after 100 unmeasured requests (the server settles after the load runs), in a
 * fresh process (ttfb.cjs), so no garbage collection of the bench's own heap is measured
 * as the server's latency. 2,000 samples, so the p99 is the 20th slowest rather than the
 * 5th.
 */
function ttfb(url, headers, size) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'ttfb.cjs'), url, String(size), JSON.stringify(headers)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`ttfb.cjs exited with ${code}`))));
  });
}

async function main() {
  await withApi({ MAX_DURATION_SECONDS: '30' }, async ({ base, db, storage, app }) => {
    const nginxPort = await freePort();
    const nginx = await startNginx(async () => `  server { listen 127.0.0.1:${nginxPort}; root ${storage}; }`, `http://127.0.0.1:${nginxPort}/`);
    try {
      const { auth, track } = await guestTrack(base);
      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      const { rows: [row] } = await pg.query(`SELECT storage_key FROM tracks WHERE id = $1`, [track.id]);
      await pg.end();
      const ours = `${base}/v1/stream/${track.id}`;
      const theirs = `http://127.0.0.1:${nginxPort}/${row.storage_key}`;
      const size = track.size_bytes;
      const script = await writeRangeScript(nginx.prefix);
      const serverPids = { nginx: [await nginx.workerPid()], ours: [app.child.pid] };
      console.log(`file: ${(size / 1024 / 1024).toFixed(1)} MiB WAV; wrk -t1 -c${CONNECTIONS}, ${seconds} s per run, best of ${runs}; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} at the start\n`);

      const best = {};
      for (const [kind, ranged] of [
        ['full', false],
        ['ranges', true],
      ]) {
        for (let i = 0; i < runs; i++) {
          for (const [server, url, headers] of [
            ['nginx', theirs, {}],
            ['ours', ours, auth],
          ]) {
            const r = wrk({ url, headers, seconds, connections: CONNECTIONS, ...(ranged ? { script, scriptArgs: [size, RANGE] } : {}), serverPids: serverPids[server] });
            if (r.non2xx || r.errors) throw new Error(`${server}, ${kind}: ${r.non2xx} non-2xx answers, socket errors: ${r.errors || 'none'}`);
            const key = `${kind} ${server}`;
            if (!best[key] || r.rps > best[key].rps) best[key] = r;
          }
        }
      }
      const mb = (bps) => `${(bps / 1024 / 1024).toFixed(0)} MiB/s`;
      const cpu = (r) => `${r.cpu.toFixed(1)} / ${seconds}`;
      const [fn, ft, rn, rt] = [best['full nginx'], best['full ours'], best['ranges nginx'], best['ranges ours']];
      const table = [
        ['', 'nginx', 'TextTune', 'ratio', 'target'],
        ['full file: bytes/s', mb(fn.bytesPerSec), mb(ft.bytesPerSec), (ft.bytesPerSec / fn.bytesPerSec).toFixed(2), '>= 0.70'],
        ['full file: req/s', fn.rps.toFixed(0), ft.rps.toFixed(0), '', ''],
        ['full file: wrk CPU s', cpu(fn), cpu(ft), '', ''],
        ['64 KiB ranges: req/s', rn.rps.toFixed(0), rt.rps.toFixed(0), (rt.rps / rn.rps).toFixed(2), '>= 0.30'],
        ['64 KiB ranges: latency p99 under load', rn.p99, rt.p99, '', ''],
        ['64 KiB ranges: wrk CPU s', cpu(rn), cpu(rt), '', ''],
      ];
      const idleN = await ttfb(theirs, {}, size);
      const idleT = await ttfb(ours, auth, size);
      table.push(['64 KiB range TTFB p50 (idle)', `${idleN.p50.toFixed(2)} ms`, `${idleT.p50.toFixed(2)} ms`, '', '']);
      table.push(['64 KiB range TTFB p99 (idle)', `${idleN.p99.toFixed(2)} ms`, `${idleT.p99.toFixed(2)} ms`, '', '<= 5 ms']);
      printTable(table);
    } finally {
      await nginx.stop();
    }
  });
}

runBench(main);
