#!/usr/bin/env node
// Streaming: TextTune's /v1/stream against nginx serving the same file on loopback
// (one nginx worker, as our server is one process), with autocannon, 32 connections:
//   - full-file GETs: bytes/s (target >= 0.7x nginx)
//   - 64 KiB random-offset Range GETs, each authenticated and authorized as in
//     production (the JWT verified, the session and the track checked: read from the
//     database by the first request, then from memory until they change, as for a
//     player's seeks; auth/auth-cache.ts): requests/s (target >= 0.3x nginx)
//   - time to first byte of a 64 KiB range on an idle server, one request at a time:
//     p50/p99 (target p99 <= 5 ms)
//
//   node bench/streaming/run.cjs [seconds per run = 10]
//
// Needs nginx (`apt-get install nginx-light`) and this machine's Postgres.
const autocannon = require('autocannon');
const { Client } = require('pg');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { guestTrack, withApi, startNginx, printTable, runBench } = require('../support/harness.cjs');
const { freePort } = require('../../apps/api/src/common/free-port.ts');

const seconds = Number(process.argv[2] ?? 10);
const CONNECTIONS = 32;
const RANGE = 64 * 1024;

function load(url, headers, size, ranged) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        headers,
        requests: [
          {
            setupRequest(req) {
              if (!ranged) return req;
              const start = Math.floor(Math.random() * (size - RANGE));
              return { ...req, headers: { ...req.headers, range: `bytes=${start}-${start + RANGE - 1}` } };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', () => undefined);
  });
}

/**
 * Time to first byte (response headers) of one request at a time, on an otherwise idle
 * server, after 100 unmeasured requests (the server settles after the load runs), in a
 * fresh process (ttfb.cjs): the load runs leave this one's heap full of autocannon's
 * garbage, whose collections would otherwise be measured as the server's latency. 2,000
 * samples, so the p99 is the 20th slowest rather than the 5th.
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
  await withApi({ MAX_DURATION_SECONDS: '30' }, async ({ base, db, storage }) => {
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
      console.log(`file: ${(size / 1024 / 1024).toFixed(1)} MiB WAV; ${CONNECTIONS} connections, ${seconds} s per run\n`);

      const rows = [];
      for (const [label, ranged] of [
        ['full file', false],
        ['64 KiB ranges', true],
      ]) {
        const n = await load(theirs, {}, size, ranged);
        const t = await load(ours, auth, size, ranged);
        if (t.non2xx || n.non2xx) throw new Error(`non-2xx answers: ours ${t.non2xx}, nginx ${n.non2xx}`);
        rows.push({ label, n, t });
      }
      const mb = (bps) => `${(bps / 1024 / 1024).toFixed(0)} MiB/s`;
      const table = [
        ['', 'nginx', 'TextTune', 'ratio', 'target'],
        ['full file: bytes/s', mb(rows[0].n.throughput.average), mb(rows[0].t.throughput.average), (rows[0].t.throughput.average / rows[0].n.throughput.average).toFixed(2), '>= 0.70'],
        ['full file: req/s', rows[0].n.requests.average.toFixed(0), rows[0].t.requests.average.toFixed(0), '', ''],
        ['64 KiB ranges: req/s', rows[1].n.requests.average.toFixed(0), rows[1].t.requests.average.toFixed(0), (rows[1].t.requests.average / rows[1].n.requests.average).toFixed(2), '>= 0.30'],
        ['64 KiB ranges: latency p99 under load', `${rows[1].n.latency.p99} ms`, `${rows[1].t.latency.p99} ms`, '', ''],
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
