#!/usr/bin/env node
// Audio through the nginx proxy (AUDIO_OFFLOAD=nginx): 64 KiB random-offset Range GETs
// against the same nginx serving the same file directly, no authorization at all. wrk,
// 32 connections, one nginx worker for all (as in run.cjs); the proxy is
// docker/proxy/site.conf.template itself.
//
//   rows: nginx direct (also with open_file_cache, as the signed location has) | the ceiling of any auth_request design: a subrequest to a
//         `return 204` location (no API, no cache) | a signed URL (AUDIO_OFFLOAD_SIGNING_KEY:
//         what a player's seeks hit after the API's redirect; nginx checks it alone) |
//         X-Accel via auth_request, the API's answer reused for AUDIO_OFFLOAD_CACHE_SECONDS
//         (5) | X-Accel, the API asked for every request (AUDIO_OFFLOAD_CACHE_SECONDS=0)
//   target: the signed URL >= 0.8x nginx direct
//
// Two measures, because the cores are shared with the API, wrk and whatever else runs:
// requests/s, and requests per CPU-second of the server side (the nginx worker plus the
// API process, from /proc), which does not depend on what else gets the cores. wrk's own
// CPU time (from /usr/bin/time) shows whether the client could have been the limit:
// below one core-second per second, its one thread was waiting on the server.
//
//   node bench/streaming/proxy.cjs [seconds per run = 10] [runs, best kept = 3]
//
// Needs nginx (`apt-get install nginx-light`), wrk, /usr/bin/time and this machine's Postgres.
const { createHash } = require('node:crypto');
const { writeFile, readFile } = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { guestTrack, withApi, startNginx, wrk, writeRangeScript, printTable, runBench } = require('../support/harness.cjs');
const { freePort } = require('../../apps/api/src/common/free-port.ts');

const seconds = Number(process.argv[2] ?? 10);
const runs = Number(process.argv[3] ?? 3);
const CONNECTIONS = 32;
const RANGE = 64 * 1024;
const ROOT = path.resolve(__dirname, '../..');
const SIGNING_KEY = 'bench0123456789abcdef0123456789abcdef';

/** docker/proxy/site.conf.template as the proxy's entrypoint renders it, for an API on the host. */
async function siteConf(prefix, apiPort, storage, reuse) {
  const template = await readFile(path.join(ROOT, 'docker/proxy/site.conf.template'), 'utf8');
  const text = template
    .replaceAll('@API_UPSTREAM@', `127.0.0.1:${apiPort}`)
    .replaceAll('@AUDIO_DIR@', `${storage}/`)
    .replaceAll('@CLIENT_MAX_BODY_SIZE@', '1m')
    .replaceAll('@FORWARDED_PROTO@', '$scheme')
    .replaceAll('@AUDIO_OFFLOAD_SIGNING_KEY@', SIGNING_KEY);
  if (/@[A-Z_]+@/.test(text)) throw new Error(`unrendered placeholder in site.conf.template: ${/@[A-Z_]+@/.exec(text)[0]}`);
  const file = path.join(prefix, reuse ? 'site-reuse.conf' : 'site-every.conf');
  // Without reuse: every request goes to the API, as with AUDIO_OFFLOAD_CACHE_SECONDS=0.
  const every = text.replace('proxy_cache texttune_audio_auth;', 'proxy_cache off;');
  if (every === text && !reuse) throw new Error('site.conf.template no longer has `proxy_cache texttune_audio_auth;`');
  await writeFile(file, reuse ? text : every);
  return file;
}

/** Checks through the real proxy that each path answers what a client must get. */
async function checkAnswers(storage, proxy, auth, track, signedPath) {
  const expect = async (what, url, headers, status, check = () => true) => {
    const res = await fetch(url, { headers, redirect: 'manual' });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== status || !check(res, body)) throw new Error(`${what}: ${res.status} ${res.headers.get('content-type')} ${body.subarray(0, 200).toString()}`);
  };
  const range = { Range: `bytes=0-${RANGE - 1}` };
  await expect('X-Accel through the proxy', `${proxy}/v1/download/${track.id}`, { ...auth, ...range }, 206, (res, b) => b.length === RANGE && /^attachment/.test(res.headers.get('content-disposition')));
  await expect('without a token through the proxy', `${proxy}/v1/stream/${track.id}`, range, 401);
  await expect('a download without a token through the proxy', `${proxy}/v1/download/${track.id}`, range, 401);
  await expect('a signed URL', `${proxy}${signedPath}`, range, 206, (res, b) => b.length === RANGE && res.headers.get('content-type') === 'audio/wav');
  await expect('a tampered signed URL', `${proxy}${signedPath.replace(/md5=(.)/, (_, c) => `md5=${c === 'A' ? 'B' : 'A'}`)}`, range, 403, (_, b) => JSON.parse(b).code === 'audio_link_invalid');
  const uri = new URL(signedPath, proxy).pathname;
  const past = Math.floor(Date.now() / 1000) - 1;
  const expired = `${uri}?md5=${createHash('md5').update(`${past}${uri} ${SIGNING_KEY}`).digest('base64url')}&expires=${past}`;
  await expect('an expired signed URL', `${proxy}${expired}`, range, 410, (_, b) => JSON.parse(b).code === 'audio_link_expired');
  // The types nginx gives the renditions it serves (the test engine here makes no parts,
  // so the files are placed next to the track and named by signed URLs).
  const dir = path.dirname(uri);
  for (const [file, type] of [['parts.mid', 'audio/midi'], ['parts.stems.zip', 'application/zip'], ['track.mp3', 'audio/mpeg']]) {
    await writeFile(path.join(storage, dir.replace('/_texttune/signed/', ''), file), 'bytes');
    const exp = Math.floor(Date.now() / 1000) + 60;
    const signed = `${dir}/${file}?md5=${createHash('md5').update(`${exp}${dir}/${file} ${SIGNING_KEY}`).digest('base64url')}&expires=${exp}`;
    await expect(`${file} through the proxy`, `${proxy}${signed}`, {}, 200, (res) => res.headers.get('content-type') === type);
  }
}

async function main() {
  const env = { MAX_DURATION_SECONDS: '30', AUDIO_OFFLOAD: 'nginx', AUDIO_OFFLOAD_SIGNING_KEY: SIGNING_KEY, TRUST_PROXY: 'true' };
  await withApi(env, async ({ base, storage, app }) => {
    const ports = { direct: await freePort(), directCached: await freePort(), ceiling: await freePort(), reuse: await freePort(), every: await freePort() };
    const nginx = await startNginx(
      async (prefix) => `
  map $texttune_file $texttune_target { "" /_texttune/not-offloaded; default $texttune_file; }
  proxy_cache_path ${prefix}/cache levels=1:2 keys_zone=texttune_audio_auth:8m max_size=64m inactive=10m use_temp_path=off;
  server { listen 127.0.0.1:${ports.direct}; root ${storage}; }
  server { listen 127.0.0.1:${ports.directCached}; root ${storage}; open_file_cache max=2000 inactive=30s; open_file_cache_valid 10s; }
  server { listen 127.0.0.1:${ports.ceiling}; root ${storage}; location / { auth_request /_ceiling; } location = /_ceiling { internal; return 204; } }
  server { listen 127.0.0.1:${ports.reuse}; include ${await siteConf(prefix, app.port, storage, true)}; }
  server { listen 127.0.0.1:${ports.every}; include ${await siteConf(prefix, app.port, storage, false)}; }`,
      `http://127.0.0.1:${ports.direct}/`,
    );
    try {
      const { auth, track } = await guestTrack(base);
      const proxy = `http://127.0.0.1:${ports.reuse}`;
      // The file's path under STORAGE_DIR and the signed URL, as the API names them.
      const play = await fetch(`${proxy}/v1/stream/${track.id}`, { headers: auth, redirect: 'manual' });
      const signedPath = play.headers.get('location');
      if (play.status !== 302 || !signedPath?.startsWith('/_texttune/signed/')) throw new Error(`a play through the proxy answered ${play.status}, not a redirect to a signed URL`);
      const key = new URL(signedPath, proxy).pathname.replace('/_texttune/signed/', '');
      await checkAnswers(storage, proxy, auth, track, signedPath);
      // Each request a random 64 KiB window of the file.
      const script = await writeRangeScript(nginx.prefix);
      const serverPids = [await nginx.workerPid(), app.child.pid];
      console.log(`file: ${(track.size_bytes / 1024 / 1024).toFixed(1)} MiB WAV; wrk -t1 -c${CONNECTIONS}, ${seconds} s per run, best of ${runs}; one nginx worker; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} at the start\n`);
      // X-Accel needs the bearer token on each request: the API (or nginx's cache of its
      // answer) decides each time. With a signing key plays redirect, so the X-Accel rows
      // range over the download URL, which takes the same path through the proxy.
      const cases = [
        ['nginx direct (no auth)', `http://127.0.0.1:${ports.direct}/${key}`, {}, ''],
        // The signed location keeps files open (open_file_cache); so can a direct server.
        ['nginx direct, open_file_cache', `http://127.0.0.1:${ports.directCached}/${key}`, {}, ''],
        ['ceiling: auth_request to return 204', `http://127.0.0.1:${ports.ceiling}/${key}`, {}, ''],
        ['signed URL (secure_link)', `${proxy}${signedPath}`, {}, '>= 0.80'],
        ['X-Accel, answer reused 5 s', `${proxy}/v1/download/${track.id}`, auth, ''],
        ['X-Accel, API asked each time', `http://127.0.0.1:${ports.every}/v1/download/${track.id}`, auth, ''],
      ];
      const results = [];
      for (const [label, url, headers, target] of cases) {
        let best = null;
        for (let i = 0; i < runs; i++) {
          const r = wrk({ url, headers, seconds, connections: CONNECTIONS, script, scriptArgs: [track.size_bytes, RANGE], serverPids });
          if (r.non2xx) throw new Error(`${label}: ${r.non2xx} non-2xx answers`);
          if (!best || r.rps > best.rps) best = r;
        }
        results.push({ label, target, ...best, perCpu: best.requests / best.serverCpu });
      }
      const [direct] = results;
      const table = [['64 KiB ranges', 'req/s', 'x direct', 'req/server CPU-s', 'x direct', 'p99', 'wrk CPU s', 'socket errors', 'target']];
      for (const r of results) table.push([r.label, r.rps.toFixed(0), (r.rps / direct.rps).toFixed(2), r.perCpu.toFixed(0), (r.perCpu / direct.perCpu).toFixed(2), r.p99, `${r.cpu.toFixed(1)} / ${seconds}`, r.errors || 'none', r.target]);
      printTable(table);
    } finally {
      await nginx.stop();
    }
  });
}

runBench(main);
