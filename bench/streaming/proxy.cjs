#!/usr/bin/env node
// Audio through the nginx proxy (AUDIO_OFFLOAD=nginx): 64 KiB random-offset Range GETs,
// each authenticated (a bearer token) and authorized by TextTune, which answers
// X-Accel-Redirect; nginx serves the bytes. Compared with the same nginx serving the
// same file directly, no authorization at all. wrk, 32 connections, one nginx worker
// for both (as in run.cjs); the proxy is docker/proxy/site.conf.template itself.
//
//   rows: nginx direct | through the proxy, the API's answer reused for
//         AUDIO_OFFLOAD_CACHE_SECONDS (5, the default) | through the proxy, the API asked
//         for every request (AUDIO_OFFLOAD_CACHE_SECONDS=0)
//   target: the default >= 0.8x nginx direct
//
// wrk's own CPU time (user + system, from /usr/bin/time) is shown for each run: the
// client shares the machine's cores with nginx and the API.
//
//   node bench/streaming/proxy.cjs [seconds per run = 10] [runs, best kept = 3]
//
// Needs nginx (`apt-get install nginx-light`), wrk, /usr/bin/time and this machine's Postgres.
require('../../tools/build/register.cjs');
const { spawn, spawnSync } = require('node:child_process');
const { mkdtemp, rm, writeFile, mkdir, readFile } = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { startAppProcess } = require('../../apps/api/test/support/processes.ts');
const { createTestDatabase } = require('../../apps/api/test/support/test-database.ts');
const { freePort } = require('../../apps/api/src/common/free-port.ts');

const seconds = Number(process.argv[2] ?? 10);
const runs = Number(process.argv[3] ?? 3);
const CONNECTIONS = 32;
const RANGE = 64 * 1024;
const ROOT = path.resolve(__dirname, '../..');

async function json(base, method, url, headers, body) {
  const res = await fetch(`${base}${url}`, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** docker/proxy/site.conf.template as the proxy's entrypoint renders it, for an API on the host. */
async function siteConf(prefix, apiPort, storage, reuse) {
  const template = await readFile(path.join(ROOT, 'docker/proxy/site.conf.template'), 'utf8');
  const text = template
    .replaceAll('@API_UPSTREAM@', `127.0.0.1:${apiPort}`)
    .replaceAll('@AUDIO_DIR@', `${storage}/`)
    .replaceAll('@CLIENT_MAX_BODY_SIZE@', '1m')
    .replaceAll('@FORWARDED_PROTO@', '$scheme');
  if (/@[A-Z_]+@/.test(text)) throw new Error(`unrendered placeholder in site.conf.template: ${/@[A-Z_]+@/.exec(text)[0]}`);
  const file = path.join(prefix, reuse ? 'site-reuse.conf' : 'site-every.conf');
  // Without reuse: every request goes to the API, as with AUDIO_OFFLOAD_CACHE_SECONDS=0.
  const every = text.replace('proxy_cache texttune_audio_auth;', 'proxy_cache off;');
  if (every === text && !reuse) throw new Error('site.conf.template no longer has `proxy_cache texttune_audio_auth;`');
  await writeFile(file, reuse ? text : every);
  return file;
}

async function startNginx(storage, apiPort, ports) {
  const prefix = await mkdtemp(path.join(os.tmpdir(), 'bench-proxy-nginx-'));
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
  log_format cache '$server_port $status $upstream_cache_status $request_time';
  access_log ${process.env.BENCH_LOG ? `${prefix}/logs/access.log cache` : 'off'};
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { audio/wav wav; audio/mpeg mp3; }
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi; uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  map $texttune_file $texttune_target { "" /_texttune/not-offloaded; default $texttune_file; }
  proxy_cache_path ${prefix}/cache levels=1:2 keys_zone=texttune_audio_auth:8m max_size=64m inactive=10m use_temp_path=off;
  server { listen 127.0.0.1:${ports.direct}; root ${storage}; }
  server { listen 127.0.0.1:${ports.reuse}; include ${await siteConf(prefix, apiPort, storage, true)}; }
  server { listen 127.0.0.1:${ports.every}; include ${await siteConf(prefix, apiPort, storage, false)}; }
}
`,
  );
  const child = spawn('nginx', ['-c', conf, '-p', prefix], { stdio: ['ignore', 'inherit', 'inherit'] });
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${ports.direct}/`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    prefix,
    async stop() {
      child.kill('SIGQUIT');
      await new Promise((r) => child.once('exit', r));
      await rm(prefix, { recursive: true, force: true });
    },
  };
}

/** One wrk run of random 64 KiB ranges: requests/s, non-2xx count, wrk's CPU seconds. */
function wrk(url, headers, size, script) {
  const args = ['-f', '%U %S', 'wrk', '-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-s', script, ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url, '--', String(size), String(RANGE)];
  const result = spawnSync('/usr/bin/time', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}`);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(result.stdout)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(result.stdout)?.[1] ?? 0);
  const errors = /Socket errors: (.*)/.exec(result.stdout)?.[1] ?? '';
  const p99 = /99%\s+(\S+)/.exec(result.stdout)?.[1] ?? '?';
  const [user, sys] = result.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { rps, non2xx, errors, p99, cpu: user + sys };
}

async function main() {
  const db = await createTestDatabase();
  const storage = await mkdtemp(path.join(os.tmpdir(), 'bench-storage-'));
  const app = await startAppProcess({ DATABASE_URL: db.url, STORAGE_DIR: storage, MAX_DURATION_SECONDS: '30', LOG_LEVEL: 'warn', AUDIO_OFFLOAD: 'nginx', TRUST_PROXY: 'true' }, 120_000);
  const base = `http://127.0.0.1:${app.port}`;
  const ports = { direct: await freePort(), reuse: await freePort(), every: await freePort() };
  const nginx = await startNginx(storage, app.port, ports);
  const script = path.join(nginx.prefix, 'ranges.lua');
  // Each request a random 64 KiB window of the file (wrk's Lua: args are size, range).
  await writeFile(
    script,
    `local size, range
function init(args) size = tonumber(args[1]); range = tonumber(args[2]); math.randomseed(os.time()) end
function request()
  local start = math.random(0, size - range - 1)
  wrk.headers["Range"] = "bytes=" .. start .. "-" .. (start + range - 1)
  return wrk.format("GET")
end
`,
  );
  try {
    const { accessToken } = await json(base, 'POST', '/v1/auth/guest');
    const auth = { Authorization: `Bearer ${accessToken}` };
    const job = await json(base, 'POST', '/v1/generations', auth, { prompt: 'bench track', duration: 30 });
    let done = job;
    while (done.status !== 'succeeded') {
      await new Promise((r) => setTimeout(r, 100));
      done = await json(base, 'GET', `/v1/generations/${job.job_id}`, auth);
      if (done.status === 'failed') throw new Error(JSON.stringify(done.error));
    }
    const track = await json(base, 'GET', `/v1/tracks/${done.track_ids[0]}`, auth);
    // The file's path under STORAGE_DIR, as the API names it to nginx.
    const accel = await fetch(`${base}/v1/stream/${track.id}`, { headers: auth });
    const key = accel.headers.get('x-accel-redirect')?.replace('/_texttune/audio/', '');
    if (!key) throw new Error('the API did not answer X-Accel-Redirect: is AUDIO_OFFLOAD=nginx honoured?');
    const size = track.size_bytes;
    const check = await fetch(`http://127.0.0.1:${ports.reuse}/v1/stream/${track.id}`, { headers: { ...auth, Range: 'bytes=0-65535' } });
    if (check.status !== 206 || (await check.arrayBuffer()).byteLength !== RANGE) throw new Error(`through the proxy: ${check.status}`);
    const anonymous = await fetch(`http://127.0.0.1:${ports.reuse}/v1/stream/${track.id}`, { headers: { Range: 'bytes=0-65535' } });
    if (anonymous.status !== 401) throw new Error(`without a token through the proxy: ${anonymous.status}`);
    if (process.env.BENCH_LOG) {
      for (let i = 0; i < 3; i++) await (await fetch(`http://127.0.0.1:${ports.reuse}/v1/stream/${track.id}`, { headers: { ...auth, Range: 'bytes=0-65535' } })).arrayBuffer();
      await new Promise((r) => setTimeout(r, 500));
      console.log(await readFile(path.join(nginx.prefix, 'logs/access.log'), 'utf8'));
      console.log(await readFile(path.join(nginx.prefix, 'logs/error.log'), 'utf8'));
    }

    console.log(`file: ${(size / 1024 / 1024).toFixed(1)} MiB WAV; wrk -t1 -c${CONNECTIONS}, ${seconds} s per run, best of ${runs}; one nginx worker\n`);
    const cases = [
      ['nginx direct (no auth)', `http://127.0.0.1:${ports.direct}/${key}`, {}],
      ['proxy + X-Accel, answer reused 5 s', `http://127.0.0.1:${ports.reuse}/v1/stream/${track.id}`, auth],
      ['proxy + X-Accel, API asked each time', `http://127.0.0.1:${ports.every}/v1/stream/${track.id}`, auth],
    ];
    const results = [];
    for (const [label, url, headers] of cases) {
      let best = null;
      for (let i = 0; i < runs; i++) {
        const r = wrk(url, headers, size, script);
        if (r.non2xx) throw new Error(`${label}: ${r.non2xx} non-2xx answers`);
        if (!best || r.rps > best.rps) best = r;
      }
      results.push({ label, ...best });
    }
    const direct = results[0].rps;
    const table = [['64 KiB ranges', 'req/s', 'x nginx', 'p99', 'wrk CPU s', 'socket errors', 'target']];
    for (const [i, r] of results.entries()) table.push([r.label, r.rps.toFixed(0), (r.rps / direct).toFixed(2), r.p99, r.cpu.toFixed(1), r.errors || 'none', i === 1 ? '>= 0.80' : '']);
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
