// What the benchmarks share: the API in its own process on a fresh database and storage
// folder, one track rendered through the public API, nginx on loopback with a given
// http {} body, wrk runs with the client's own CPU time, the result table, and the
// teardown of all of it.
require('../../tools/build/register.cjs');
const { spawn, spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { mkdtemp, rm, writeFile, mkdir, readFile } = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { startAppProcess } = require('../../apps/api/test/support/processes.ts');
const { createTestDatabase } = require('../../apps/api/test/support/test-database.ts');

async function json(base, method, url, headers, body) {
  const res = await fetch(`${base}${url}`, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * The API (apps/api, its own process) on a new database and storage folder, with `env`
 * on top. `run(api)` gets { base, db, storage, app } and the stack is torn down after it,
 * whatever happens.
 */
async function withApi(env, run, startTimeoutMs = 120_000) {
  const db = await createTestDatabase();
  const storage = await mkdtemp(path.join(os.tmpdir(), 'bench-storage-'));
  let app;
  try {
    app = await startAppProcess({ DATABASE_URL: db.url, STORAGE_DIR: storage, LOG_LEVEL: 'warn', ...env }, startTimeoutMs);
    return await run({ base: `http://127.0.0.1:${app.port}`, db, storage, app });
  } finally {
    await app?.stop();
    await db.drop();
    await rm(storage, { recursive: true, force: true });
  }
}

/** A guest account and one rendered track: { auth, track } (the track as GET /v1/tracks/:id answers it); more of the request in `rest` (engine…). */
async function guestTrack(base, { prompt = 'bench track', duration = 30, ...rest } = {}) {
  const { accessToken } = await json(base, 'POST', '/v1/auth/guest');
  const auth = { Authorization: `Bearer ${accessToken}` };
  const job = await json(base, 'POST', '/v1/generations', auth, { prompt, duration, ...rest });
  let done = job;
  while (done.status !== 'succeeded') {
    await new Promise((r) => setTimeout(r, 100));
    done = await json(base, 'GET', `/v1/generations/${job.job_id}`, auth);
    if (done.status === 'failed') throw new Error(JSON.stringify(done.error));
  }
  return { auth, track: await json(base, 'GET', `/v1/tracks/${done.track_ids[0]}`, auth) };
}

/**
 * nginx with one worker (as the API is one process), `http` inside http {} after the
 * common settings (sendfile, no access log unless BENCH_LOG, temp paths in its prefix).
 * `http` is a function of the prefix folder. Resolves once `probeUrl` answers.
 */
async function startNginx(http, probeUrl) {
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
  log_format bench '$server_port $status $upstream_cache_status $request_time';
  access_log ${process.env.BENCH_LOG ? `${prefix}/logs/access.log bench` : 'off'};
  sendfile on;
  # As docker/proxy/nginx.conf.template: tcp_nopush stalls unaligned ranges ~40 ms.
  tcp_nopush off;
  keepalive_requests 1000000;
  types { audio/wav wav; audio/mpeg mp3; }
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi; uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
${await http(prefix)}
}
`,
  );
  const child = spawn('nginx', ['-c', conf, '-p', prefix], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((r) => child.once('exit', r));
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(probeUrl);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    prefix,
    /** the worker's process id (for its CPU time) */
    async workerPid() {
      const master = (await readFile(path.join(prefix, 'nginx.pid'), 'utf8')).trim();
      const children = (await readFile(`/proc/${master}/task/${master}/children`, 'utf8')).trim().split(/\s+/);
      for (const pid of children) if ((await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes('worker process')) return Number(pid);
      throw new Error('no nginx worker process');
    },
    async stop() {
      child.kill('SIGQUIT');
      await exited;
      await rm(prefix, { recursive: true, force: true });
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat(5); here counted from the state (field 3).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A duration as wrk prints it ("812.00us", "1.43ms", "2.01s") in milliseconds. */
function wrkMs(text) {
  const [, value, unit] = /^([\d.]+)(us|ms|s|m)$/.exec(text) ?? [];
  if (value === undefined) return Number.NaN;
  return Number(value) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit];
}

/** A size as wrk prints it ("1.21GB", "812.34MB", "96.00KB", "512B") in bytes. */
function wrkBytes(text) {
  const [, value, unit] = /^([\d.]+)([KMGT]?B)$/.exec(text) ?? [];
  if (value === undefined) return Number.NaN;
  return Number(value) * 1024 ** ['B', 'KB', 'MB', 'GB', 'TB'].indexOf(unit);
}

/**
 * Writes wrk's Lua script for random `range`-byte windows of a `size`-byte file (passed
 * as wrk's script args by {@link wrk}) into `dir`; returns its path.
 */
async function writeRangeScript(dir) {
  const script = path.join(dir, 'ranges.lua');
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
  return script;
}

/**
 * One wrk run against `url`, under /usr/bin/time for wrk's own CPU time: below one
 * CPU-second per second and per thread, wrk was waiting on the server, not the limit.
 * `script` and `scriptArgs`: a Lua script (e.g. {@link writeRangeScript}'s, with [size,
 * range]). A request unanswered after `timeoutSeconds` counts as a socket error
 * (timeout). `serverPids`: processes whose CPU time the run also reports (from /proc).
 * Answers { rps, requests, bytesPerSec, non2xx, errors, p50, p99 (as wrk prints them),
 * p99Ms, cpu (wrk's CPU seconds), serverCpu }.
 */
function wrk({ url, headers = {}, seconds, connections, threads = 1, timeoutSeconds = 10, script, scriptArgs = [], serverPids = [] }) {
  const args = ['-f', '%U %S', 'wrk', `-t${threads}`, `-c${connections}`, `-d${seconds}s`, `--timeout`, `${timeoutSeconds}s`, '--latency', ...(script ? ['-s', script] : []), ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url];
  if (scriptArgs.length) args.push('--', ...scriptArgs.map(String));
  const serverBefore = serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const result = spawnSync('/usr/bin/time', args, { encoding: 'utf8' });
  const serverCpu = serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - serverBefore;
  if (result.status !== 0) throw new Error(`wrk failed (${result.status}): ${result.stderr}`);
  const out = result.stdout;
  const p50 = /^ +50%[ \t]+(\S+)/m.exec(out)?.[1] ?? '?';
  const p99 = /^ +99%[ \t]+(\S+)/m.exec(out)?.[1] ?? '?';
  const [user, sys] = result.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    requests: Number(/(\d+) requests in/.exec(out)?.[1]),
    bytesPerSec: wrkBytes(/Transfer\/sec:\s+(\S+)/.exec(out)?.[1] ?? ''),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
    errors: /Socket errors: (.*)/.exec(out)?.[1] ?? '',
    p50,
    p99,
    p99Ms: wrkMs(p99),
    cpu: user + sys,
    serverCpu,
  };
}

/** Prints rows of cells (the first is the header) as aligned columns. */
function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(r.map((cell, c) => String(cell).padEnd(widths[c])).join('  ').trimEnd());
}

/** Runs main(), printing its error and exiting 1 on failure. */
function runBench(main) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { json, withApi, guestTrack, startNginx, cpuSeconds, wrk, writeRangeScript, printTable, runBench };
