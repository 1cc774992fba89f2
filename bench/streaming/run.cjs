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
require('../../tools/build/register.cjs');
const autocannon = require('autocannon');
const { Client } = require('pg');
const { spawn } = require('node:child_process');
const { mkdtemp, rm, writeFile, mkdir } = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { startAppProcess } = require('../../apps/api/test/support/processes.ts');
const { createTestDatabase } = require('../../apps/api/test/support/test-database.ts');
const { freePort } = require('../../apps/api/src/common/free-port.ts');

const seconds = Number(process.argv[2] ?? 10);
const CONNECTIONS = 32;
const RANGE = 64 * 1024;

async function json(base, method, url, headers, body) {
  const res = await fetch(`${base}${url}`, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function startNginx(root, port) {
  const prefix = await mkdtemp(path.join(os.tmpdir(), 'bench-nginx-'));
  await mkdir(path.join(prefix, 'logs'));
  const conf = path.join(prefix, 'nginx.conf');
  await writeFile(
    conf,
    `worker_processes 1;
${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { audio/wav wav; audio/mpeg mp3; }
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi; uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  server { listen 127.0.0.1:${port}; root ${root}; }
}
`,
  );
  const child = spawn('nginx', ['-c', conf, '-p', prefix], { stdio: ['ignore', 'inherit', 'inherit'] });
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    async stop() {
      child.kill('SIGQUIT');
      await new Promise((r) => child.once('exit', r));
      await rm(prefix, { recursive: true, force: true });
    },
  };
}

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
  const db = await createTestDatabase();
  const storage = await mkdtemp(path.join(os.tmpdir(), 'bench-storage-'));
  const app = await startAppProcess({ DATABASE_URL: db.url, STORAGE_DIR: storage, MAX_DURATION_SECONDS: '30', LOG_LEVEL: 'warn' });
  const base = `http://127.0.0.1:${app.port}`;
  const nginxPort = await freePort();
  const nginx = await startNginx(storage, nginxPort);
  try {
    const { accessToken } = await json(base, 'POST', '/v1/auth/guest');
    const auth = { authorization: `Bearer ${accessToken}` };
    const job = await json(base, 'POST', '/v1/generations', auth, { prompt: 'bench track', duration: 30 });
    let done = job;
    while (done.status !== 'succeeded') {
      await new Promise((r) => setTimeout(r, 100));
      done = await json(base, 'GET', `/v1/generations/${job.job_id}`, auth);
      if (done.status === 'failed') throw new Error(JSON.stringify(done.error));
    }
    const track = await json(base, 'GET', `/v1/tracks/${done.track_ids[0]}`, auth);
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
    const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
    for (const r of table) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  } finally {
    await nginx.stop();
    await app.stop();
    await db.drop();
    await rm(storage, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
