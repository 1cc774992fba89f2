// The deploy smoke test behind tools/deploy-smoke/run.sh: see that script for usage.
// Each check is one row of the table printed at the end; any failure exits 1.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const args = new Set(process.argv.slice(2));
const SWARM = args.has('--swarm');
const KEEP = args.has('--keep');
const BUILD = !args.has('--no-build');
const PROJECT = process.env.SMOKE_PROJECT ?? (SWARM ? 'texttune-swarm' : 'texttune-smoke');
const HTTP_PORT = process.env.SMOKE_HTTP_PORT ?? '18080';
const HTTPS_PORT = process.env.SMOKE_HTTPS_PORT ?? '18443';
const WORKERS = 3;
// Debian's docker CLI: a newer one elsewhere in PATH may not talk to this daemon.
const DOCKER = process.env.DOCKER ?? (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
const childEnv = { ...process.env, PATH: `/usr/bin:${process.env.PATH ?? ''}`, DOCKER_BUILDKIT: '1', COMPOSE_DOCKER_CLI_BUILD: '1' };

const work = mkdtempSync(path.join(os.tmpdir(), 'texttune-smoke-'));
const rows = [];
const facts = {};
let failed = false;

// ---------------------------------------------------------------- processes

function run(file, argv, { input, allowFail = false, quiet = false, timeoutMs = 30 * 60_000 } = {}) {
  const result = spawnSync(file, argv, { cwd: ROOT, env: childEnv, input, encoding: 'buffer', maxBuffer: 512 * 1024 * 1024, timeout: timeoutMs });
  const out = result.stdout?.toString() ?? '';
  const err = result.stderr?.toString() ?? '';
  if (result.status !== 0 && !allowFail) {
    throw new Error(`${path.basename(file)} ${argv.join(' ')} exited ${result.status ?? result.signal}: ${(err || out).trim().split('\n').slice(-15).join('\n')}`);
  }
  if (!quiet && process.env.SMOKE_VERBOSE) process.stderr.write(out + err);
  return { status: result.status, stdout: out, stderr: err, raw: result.stdout };
}
const docker = (argv, options) => run(DOCKER, argv, options);

function composeCommand() {
  if (docker(['compose', 'version'], { allowFail: true, quiet: true }).status === 0) return { argv: [DOCKER, 'compose'], name: docker(['compose', 'version', '--short'], { quiet: true }).stdout.trim().replace(/^v?/, 'Compose v') };
  const v1 = spawnSync('docker-compose', ['version', '--short'], { env: childEnv, encoding: 'utf8' });
  if (v1.status === 0) return { argv: ['docker-compose'], name: `Compose v${v1.stdout.trim()} (docker-compose)` };
  throw new Error('Neither `docker compose` (v2) nor `docker-compose` (v1) is installed');
}
const COMPOSE = composeCommand();
const envFile = path.join(work, 'smoke.env');
const compose = (argv, options) => run(COMPOSE.argv[0], [...COMPOSE.argv.slice(1), '--project-name', PROJECT, '--project-directory', ROOT, '--env-file', envFile, '-f', path.join(ROOT, 'docker-compose.yml'), '--profile', 'demo', ...argv], options);

/** Container ids of a service, running ones only. */
function containers(service) {
  const filter = SWARM ? `label=com.docker.swarm.service.name=${PROJECT}_${service}` : `label=com.docker.compose.service=${service}`;
  const project = SWARM ? [] : ['--filter', `label=com.docker.compose.project=${PROJECT}`];
  return docker(['ps', '-q', '--no-trunc', ...project, '--filter', filter], { quiet: true }).stdout.split('\n').filter(Boolean);
}
const health = (id) => docker(['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}', id], { allowFail: true, quiet: true }).stdout.trim();
const psql = (sql) => docker(['exec', containers('postgres')[0], 'psql', '-U', 'texttune', '-d', 'texttune', '-tAc', sql], { quiet: true }).stdout.trim();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, check, timeoutMs, everyMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last === true || (last && last.ok)) return last;
    } catch (error) {
      last = error.message;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s (${typeof last === 'string' ? last : JSON.stringify(last)})`);
    await sleep(everyMs);
  }
}

/** Waits until every service has `count` containers, all healthy. */
// SMOKE_HEALTH_SECONDS: how long to wait for health (a host short of CPU needs longer).
const HEALTH_MS = Number(process.env.SMOKE_HEALTH_SECONDS ?? 0) * 1000;
async function allHealthy(expected, timeoutMs = 240_000) {
  timeoutMs = Math.max(timeoutMs, HEALTH_MS);
  return until(
    'all services healthy',
    () => {
      const state = Object.entries(expected).map(([service, count]) => {
        const ids = containers(service);
        const states = ids.map(health);
        return { service, ok: ids.length === count && states.every((s) => s === 'healthy'), states };
      });
      return state.every((s) => s.ok) ? true : state.filter((s) => !s.ok).map((s) => `${s.service}: ${s.states.join(',') || 'none'}`).join('; ');
    },
    timeoutMs,
  );
}

// ---------------------------------------------------------------- HTTP through the proxy

let tlsCa = null;
function request(method, urlPath, { headers = {}, body, plain = false } = {}) {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const options = {
    method,
    host: '127.0.0.1',
    port: Number(plain ? HTTP_PORT : HTTPS_PORT),
    path: urlPath,
    headers: { ...headers, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}) },
    // The proxy's certificate is the only one trusted: a real TLS check, not a bypass.
    ...(plain ? {} : { ca: tlsCa, servername: 'localhost' }),
    agent: false,
    timeout: 60_000,
  };
  return new Promise((resolve, reject) => {
    const req = (plain ? http : https).request(options, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const buffer = Buffer.concat(chunks);
        let json;
        try {
          json = JSON.parse(buffer.toString());
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, body: buffer, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
function expectStatus(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} instead of ${status}: ${res.body.toString().slice(0, 300)}`);
  return res;
}
const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');

let account;
let auth;
async function signIn() {
  const res = expectStatus(await request('POST', '/v1/auth/login', { body: account }), 200, 'password sign-in');
  auth = { Authorization: `Bearer ${res.json.accessToken}` };
}

async function createJob(body) {
  const res = expectStatus(await request('POST', '/v1/generations', { headers: auth, body }), 202, 'POST /v1/generations');
  return res.json.job_id;
}
async function jobsDone(ids, timeoutMs) {
  return until(
    `${ids.length} job(s) succeeded`,
    async () => {
      const jobs = await Promise.all(ids.map(async (id) => (await request('GET', `/v1/generations/${id}`, { headers: auth })).json));
      const failedJob = jobs.find((j) => j && ['failed', 'cancelled'].includes(j.status));
      if (failedJob) throw Object.assign(new Error(`job ${failedJob.job_id} ${failedJob.status}: ${JSON.stringify(failedJob.error ?? failedJob)}`), { fatal: true });
      const pending = jobs.filter((j) => j?.status !== 'succeeded').length;
      return pending === 0 ? { ok: true, jobs } : `${pending} of ${ids.length} not finished`;
    },
    timeoutMs,
  ).catch((error) => {
    throw error;
  });
}
const workerOf = (jobId) => psql(`select worker_id from generations where id = '${jobId}'`);

// ---------------------------------------------------------------- steps

async function step(name, fn) {
  if (failed) return rows.push({ name, result: 'skipped', seconds: '', detail: 'an earlier step failed' });
  const started = Date.now();
  try {
    const detail = (await fn()) ?? '';
    rows.push({ name, result: 'ok', seconds: ((Date.now() - started) / 1000).toFixed(1), detail });
  } catch (error) {
    failed = true;
    rows.push({ name, result: 'FAIL', seconds: ((Date.now() - started) / 1000).toFixed(1), detail: error.message.split('\n').join(' | ').slice(0, 400) });
  }
}

function writeEnv(extra = {}) {
  const hasSlim = docker(['image', 'inspect', 'debian:bookworm-slim'], { allowFail: true, quiet: true }).status === 0;
  const values = {
    JWT_SECRET: randomBytes(48).toString('hex'),
    POSTGRES_PASSWORD: randomBytes(24).toString('hex'),
    METRICS_TOKEN: randomBytes(24).toString('hex'),
    // Plays redirect to URLs the proxy verifies itself; downloads stay X-Accel answers.
    AUDIO_OFFLOAD_SIGNING_KEY: randomBytes(32).toString('hex'),
    HTTP_PORT,
    HTTPS_PORT,
    HF_SPACE_ID: 'http://fake-space:7860',
    // A killed worker's job is taken over once its lease ends.
    QUEUE_LOCK_SECONDS: '10',
    SHUTDOWN_GRACE_SECONDS: '10',
    MAX_ACTIVE_JOBS_PER_USER: '20',
    AUTH_RATE_LIMIT_PER_MINUTE: '200',
    PROXY_BASE_IMAGE: hasSlim ? 'debian:bookworm-slim' : 'debian:bookworm-local',
    ...extra,
  };
  writeFileSync(envFile, Object.entries(values).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  return values;
}

/** The compose file as a Swarm stack: `docker stack deploy` builds nothing and reads no .env. */
function stackFile() {
  // Compose interpolates .env and resolves the anchors; what Swarm does not support goes.
  const resolved = parse(compose(['config'], { quiet: true }).stdout);
  resolved.version = '3.9';
  for (const service of Object.values(resolved.services)) {
    for (const key of ['build', 'depends_on', 'profiles', 'restart', 'security_opt', 'shm_size', 'container_name']) delete service[key];
    // A stack ignores the service-level tmpfs: the same as tmpfs mounts.
    if (service.tmpfs) {
      service.volumes = [...(service.volumes ?? []), ...[service.tmpfs].flat().map((target) => ({ type: 'tmpfs', target }))];
      delete service.tmpfs;
    }
  }
  resolved.services.worker.deploy = { ...resolved.services.worker.deploy, replicas: WORKERS };
  // SMOKE_SWARM_DNSRR=1, for hosts whose kernel lacks IPVS (Swarm's virtual IPs and routing
  // mesh then answer EHOSTUNREACH): services found by DNS, the proxy's ports on this host.
  if (process.env.SMOKE_SWARM_DNSRR) {
    for (const [name, service] of Object.entries(resolved.services)) {
      service.deploy = { ...service.deploy, endpoint_mode: 'dnsrr' };
      if (name === 'proxy') service.ports = service.ports.map((p) => ({ ...p, mode: 'host' }));
    }
  }
  const file = path.join(work, 'stack.yml');
  // Docker's CLI reads YAML 1.1, where an unquoted yes (redis' --appendonly yes) is a boolean.
  writeFileSync(file, stringify(resolved, { version: '1.1' }));
  return file;
}

const BACKUP_IMAGE = process.env.TEXTTUNE_IMAGE ?? 'texttune:local';
// As docs/deploy.md writes it (the file name without the date).
const AUDIO_BACKUP = `cd /data && find . -mindepth 1 ! -path './.*' ! -name '*.partial-*' \\( -type d -o -type f \\) -print0 | tar --create --gzip --file /backup/audio.tgz --null --no-recursion --ignore-failed-read --files-from -`;
const audioVolume = `${PROJECT}_audio`;
/** docs/deploy.md, "Back up and restore", with this run's names. */
function backup() {
  const dump = docker(['exec', containers('postgres')[0], 'pg_dump', '-U', 'texttune', '-Fc', 'texttune'], { quiet: true }).raw;
  writeFileSync(path.join(work, 'texttune.dump'), dump);
  docker(['run', '--rm', '--user', '0', '--entrypoint', 'sh', '-v', `${audioVolume}:/data:ro`, '-v', `${work}:/backup`, BACKUP_IMAGE, '-c', AUDIO_BACKUP], { quiet: true });
  return dump.length;
}

let swarmInitialized = false;
async function main() {
  const env = writeEnv();
  console.error(`deploy smoke: ${SWARM ? 'Docker Swarm stack' : COMPOSE.name}, project ${PROJECT}, https://localhost:${HTTPS_PORT}, work dir ${work}`);

  await step('compose file: Compose v2 schema + installed Compose reads it', () => {
    run(process.execPath, [path.join(ROOT, 'tools/deploy-smoke/validate-compose.cjs')], { quiet: true });
    compose(['config', '-q'], { quiet: true });
    return `schema ok; ${COMPOSE.name} ok`;
  });

  await step(BUILD ? 'build images (texttune + proxy)' : 'images already built (--no-build)', () => {
    const started = Date.now();
    if (BUILD) compose(['build', 'api', 'proxy']);
    facts.build = BUILD ? `${((Date.now() - started) / 1000).toFixed(0)} s` : 'not run (--no-build)';
    const size = (image) => (Number(docker(['image', 'inspect', '-f', '{{.Size}}', image], { quiet: true }).stdout) / 1e6).toFixed(0);
    facts.imageMB = size('texttune:local');
    facts.proxyMB = size('texttune-proxy:local');
    if (Number(facts.imageMB) >= 300) throw new Error(`the texttune image is ${facts.imageMB} MB (limit 300)`);
    return `texttune:local ${facts.imageMB} MB, texttune-proxy:local ${facts.proxyMB} MB, build ${facts.build}`;
  });

  const expected = { postgres: 1, redis: 1, api: 1, worker: SWARM ? WORKERS : 1, proxy: 1, 'fake-space': 1 };
  await step(SWARM ? 'docker stack deploy: all healthy' : 'up: all services healthy', async () => {
    const started = Date.now();
    if (SWARM) {
      const state = docker(['info', '-f', '{{.Swarm.LocalNodeState}}'], { quiet: true }).stdout.trim();
      if (state !== 'active') {
        // Swarm refuses a loopback address: this machine's first other IPv4 address.
        const address = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
        if (!address) throw new Error('no network address to advertise the swarm on');
        docker(['swarm', 'init', '--advertise-addr', address]);
        swarmInitialized = true;
      }
      docker(['stack', 'deploy', '--prune', '-c', stackFile(), PROJECT]);
    } else {
      compose(['up', '-d']);
    }
    await allHealthy(expected, 300_000);
    facts.healthySeconds = ((Date.now() - started) / 1000).toFixed(0);
    tlsCa = docker(['exec', containers('proxy')[0], 'cat', '/etc/texttune/tls/tls.crt'], { quiet: true }).stdout;
    const logs = docker(['logs', containers('proxy')[0]], { quiet: true });
    if (!/SELF-SIGNED/.test(logs.stdout + logs.stderr)) throw new Error('the proxy did not log that it generated a self-signed certificate');
    return `${Object.entries(expected).map(([s, n]) => `${s}×${n}`).join(' ')} healthy in ${facts.healthySeconds} s; self-signed certificate logged`;
  });

  await step('register + sign in (production, password)', async () => {
    const config = expectStatus(await request('GET', '/v1/auth/config'), 200, 'GET /v1/auth/config').json;
    account = { email: `operator-${randomBytes(3).toString('hex')}@example.com`, password: `smoke ${randomBytes(9).toString('base64')}` };
    expectStatus(await request('POST', '/v1/auth/register', { body: account }), 201, 'register');
    const quick = await request('POST', '/v1/auth/login', { body: { email: account.email } });
    if (quick.status < 400) throw new Error('a sign-in without a password was accepted: not production password mode');
    await signIn();
    const me = expectStatus(await request('GET', '/v1/me', { headers: auth }), 200, 'GET /v1/me').json;
    const plainHealth = expectStatus(await request('GET', '/v1/health', { plain: true }), 200, 'plain HTTP /v1/health');
    return `mode ${config.mode ?? JSON.stringify(config.methods)}; ${me.email ?? me.user?.email}; no-password login ${quick.status}; plain HTTP ${plainHealth.status}`;
  });

  let track;
  let trackSha;
  await step('a job rendered by a worker', async () => {
    const id = await createJob({ prompt: 'smoke test: calm lo-fi piano', duration: 2, seed: 1 });
    const { jobs } = await jobsDone([id], 120_000);
    const worker = workerOf(id);
    const hosts = containers('worker').map((c) => c.slice(0, 12));
    if (!hosts.some((h) => worker.startsWith(`${h}:`))) throw new Error(`job ${id} was run by "${worker}", not one of the worker containers ${hosts.join(', ')}`);
    track = expectStatus(await request('GET', `/v1/tracks/${jobs[0].track_ids[0]}`, { headers: auth }), 200, 'GET track').json;
    return `job ${id.slice(0, 8)} by worker ${worker.split(':')[0]}; ${track.size_bytes} bytes (${jobs[0].engine ?? 'default engine'})`;
  });

  await step('range + download through the proxy (HTTPS)', async () => {
    const play = expectStatus(await request('GET', `/v1/stream/${track.id}`, { headers: { ...auth, Range: 'bytes=0-65535' } }), 302, 'play');
    const signed = play.headers.location ?? '';
    if (!signed.startsWith('/_texttune/signed/')) throw new Error(`a play redirected to ${signed}, not a signed URL`);
    const range = expectStatus(await request('GET', signed, { headers: { Range: 'bytes=0-65535' } }), 206, 'range of the signed URL');
    const expectedLength = Math.min(65536, track.size_bytes);
    if (range.body.length !== expectedLength || range.headers['content-range'] !== `bytes 0-${expectedLength - 1}/${track.size_bytes}`) {
      throw new Error(`range: ${range.body.length} bytes, Content-Range ${range.headers['content-range']}`);
    }
    if (range.headers['content-type'] !== 'audio/wav') throw new Error(`range Content-Type ${range.headers['content-type']}`);
    if (range.headers['x-accel-redirect'] || range.headers['x-accel-expires']) throw new Error('X-Accel headers leaked to the client');
    const notModified = await request('GET', signed, { headers: { 'If-None-Match': range.headers.etag } });
    expectStatus(notModified, 304, 'If-None-Match');
    expectStatus(await request('GET', signed.replace(/md5=(.)/, (_, c) => `md5=${c === 'A' ? 'B' : 'A'}`), { headers: { Range: 'bytes=0-1' } }), 403, 'a tampered signed URL');
    const downloadRange = expectStatus(await request('GET', `/v1/download/${track.id}`, { headers: { ...auth, Range: 'bytes=0-65535' } }), 206, 'download range (X-Accel)');
    if (!downloadRange.body.equals(range.body) || downloadRange.headers['x-accel-redirect']) throw new Error('the X-Accel range differs from the signed one, or leaked X-Accel headers');
    const download = expectStatus(await request('GET', `/v1/download/${track.id}`, { headers: auth }), 200, 'download');
    if (!/^attachment;/.test(download.headers['content-disposition'] ?? '')) throw new Error(`download Content-Disposition: ${download.headers['content-disposition']}`);
    if (download.body.length !== track.size_bytes || !download.body.subarray(0, expectedLength).equals(range.body)) throw new Error('the download does not match the range');
    const anonymous = await request('GET', `/v1/stream/${track.id}`, { headers: { Range: 'bytes=0-1' } });
    expectStatus(anonymous, 401, 'anonymous stream');
    trackSha = sha256(download.body);
    return `302 to a signed URL, 206 ${range.headers['content-range']}, 304 on ETag, tampered 403, X-Accel range 206, download ${download.body.length} B sha256 ${trackSha.slice(0, 12)}…, anonymous 401`;
  });

  await step(`${WORKERS} workers, 10 jobs all succeed`, async () => {
    if (SWARM) docker(['service', 'scale', '--detach=false', `${PROJECT}_worker=${WORKERS}`], { quiet: true });
    else compose(['up', '-d', '--no-recreate', '--scale', `worker=${WORKERS}`]);
    await allHealthy({ ...expected, worker: WORKERS }, 240_000);
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push(await createJob({ prompt: `smoke batch ${i}: bright synth pop`, duration: 2, seed: 100 + i }));
    await jobsDone(ids, 300_000);
    const workers = new Set(ids.map((id) => workerOf(id).split(':')[0]));
    return `10/10 succeeded, run by ${workers.size} worker container(s)`;
  });

  if (!SWARM) {
    await step('api restarted + a worker killed mid-job: nothing lost', async () => {
      const space = containers('fake-space')[0];
      const configure = (settings) => docker(['exec', space, 'node', '-e', `fetch("http://127.0.0.1:7860/__fake/config",{method:"POST",body:${JSON.stringify(JSON.stringify(settings))}}).then(r=>{if(!r.ok)process.exit(1)})`], { quiet: true });
      configure({ fail: 'slow', slowMs: 15000 });
      const engines = expectStatus(await request('GET', '/v1/engines', { headers: auth }), 200, 'GET /v1/engines').json;
      const list = Array.isArray(engines) ? engines : (engines.items ?? engines.engines ?? []);
      const spaceEngine = list.find((e) => e.id !== 'offline');
      if (!spaceEngine) throw new Error(`no Space engine among ${JSON.stringify(list.map((e) => e.id))}`);
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await createJob({ prompt: `slow smoke ${i}: ambient pads`, duration: 2, engine: spaceEngine.id }));
      const victim = await until('a slow job running on a worker', () => {
        const worker = ids.map(workerOf).find(Boolean);
        return worker ? { ok: true, worker } : 'none running yet';
      }, 60_000, 500);
      const host = victim.worker.split(':')[0];
      const container = containers('worker').find((c) => c.startsWith(host));
      if (!container) throw new Error(`no worker container ${host}`);
      docker(['kill', '--signal', 'KILL', container], { quiet: true });
      compose(['restart', 'api']);
      configure({ fail: 'none' });
      const { jobs } = await jobsDone(ids, 240_000);
      compose(['up', '-d', '--no-recreate', '--scale', `worker=${WORKERS}`]);
      await allHealthy({ ...expected, worker: WORKERS }, 240_000);
      const attempts = psql(`select string_agg(attempts::text, ',') from generations where id in (${ids.map((id) => `'${id}'`).join(',')})`);
      return `killed worker ${host} mid-job, restarted api: ${jobs.length}/3 slow jobs succeeded (attempts ${attempts})`;
    });
  }

  let backupTrack;
  if (!SWARM) {
    await step('backup while running (documented commands)', async () => {
      // Jobs keep finishing while the backups run: that is what the backup must survive.
      const ids = [];
      for (let i = 0; i < 4; i++) ids.push(await createJob({ prompt: `during backup ${i}`, duration: 2, seed: 200 + i }));
      const sizes = [];
      for (let i = 0; i < 3; i++) sizes.push(backup());
      await jobsDone(ids, 180_000);
      // The last backup is the one restored below.
      backup();
      backupTrack = track;
      return `3 runs during 4 jobs, each exit 0; database dump ${(sizes[2] / 1024).toFixed(0)} KiB, audio ${(readFileSync(path.join(work, 'audio.tgz')).length / 1024).toFixed(0)} KiB`;
    });

    await step('down / up keeps every user, track and file', async () => {
      const before = expectStatus(await request('GET', '/v1/library?limit=100', { headers: auth }), 200, 'library').json.items.length;
      compose(['down']);
      compose(['up', '-d', '--scale', 'worker=1']);
      await allHealthy(expected, 300_000);
      await signIn();
      const after = expectStatus(await request('GET', '/v1/library?limit=100', { headers: auth }), 200, 'library').json.items.length;
      const download = expectStatus(await request('GET', `/v1/download/${track.id}`, { headers: auth }), 200, 'download after up');
      if (after !== before || sha256(download.body) !== trackSha) throw new Error(`before ${before} tracks, after ${after}; sha256 ${sha256(download.body).slice(0, 12)} vs ${trackSha.slice(0, 12)}`);
      return `${after} tracks, same sha256 after down/up`;
    });

    await step('restore (documented commands)', async () => {
      expectStatus(await request('DELETE', `/v1/tracks/${backupTrack.id}`, { headers: auth }), 204, 'delete a track');
      expectStatus(await request('GET', `/v1/tracks/${backupTrack.id}`, { headers: auth }), 404, 'deleted track');
      compose(['stop', 'api', 'worker']);
      docker(['exec', '-i', containers('postgres')[0], 'pg_restore', '-U', 'texttune', '-d', 'texttune', '--clean', '--if-exists'], { input: readFileSync(path.join(work, 'texttune.dump')), quiet: true });
      docker(['run', '--rm', '--user', '0', '--entrypoint', 'sh', '-v', `${audioVolume}:/data`, '-v', `${work}:/backup:ro`, BACKUP_IMAGE, '-c', 'find /data -mindepth 1 -delete && tar xzf /backup/audio.tgz -C /data'], { quiet: true });
      compose(['start', 'api', 'worker']);
      await allHealthy(expected, 300_000);
      await signIn();
      const download = expectStatus(await request('GET', `/v1/download/${backupTrack.id}`, { headers: auth }), 200, 'restored track');
      if (sha256(download.body) !== trackSha) throw new Error('the restored track differs from the original');
      return 'deleted track back, same sha256';
    });
  }
  return env;
}

function teardown() {
  if (KEEP) return rows.push({ name: 'tear down', result: 'kept', seconds: '', detail: `--keep: ${SWARM ? `docker stack rm ${PROJECT}` : `${COMPOSE.argv.join(' ')} -p ${PROJECT} --env-file ${envFile} down -v`} when done` });
  const started = Date.now();
  try {
    if (SWARM) {
      docker(['stack', 'rm', PROJECT], { allowFail: true, quiet: true });
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && docker(['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${PROJECT}`], { quiet: true }).stdout.trim()) spawnSync('sleep', ['2']);
      spawnSync('sleep', ['3']);
      for (const volume of ['pgdata', 'redisdata', 'audio', 'tls']) docker(['volume', 'rm', `${PROJECT}_${volume}`], { allowFail: true, quiet: true });
      if (swarmInitialized) docker(['swarm', 'leave', '--force'], { allowFail: true, quiet: true });
    } else {
      compose(['down', '-v', '--remove-orphans'], { allowFail: true });
    }
    rows.push({ name: 'tear down', result: 'ok', seconds: ((Date.now() - started) / 1000).toFixed(1), detail: SWARM ? `stack removed${swarmInitialized ? ', swarm left' : ''}` : 'down -v' });
  } catch (error) {
    failed = true;
    rows.push({ name: 'tear down', result: 'FAIL', seconds: '', detail: error.message });
  }
  if (!process.env.SMOKE_KEEP_WORK) rmSync(work, { recursive: true, force: true });
}

function printTable() {
  const header = { name: 'check', result: 'result', seconds: 's', detail: 'detail' };
  const widths = ['name', 'result', 'seconds'].map((k) => Math.max(...[header, ...rows].map((r) => String(r[k]).length)));
  const line = (r) => `| ${String(r.name).padEnd(widths[0])} | ${String(r.result).padEnd(widths[1])} | ${String(r.seconds).padStart(widths[2])} | ${r.detail} |`;
  console.log(`\nTextTune deploy smoke (${SWARM ? 'Docker Swarm stack' : COMPOSE.name}, Docker ${docker(['version', '-f', '{{.Server.Version}}'], { quiet: true }).stdout.trim()})`);
  console.log(line(header));
  console.log(`|${'-'.repeat(widths[0] + 2)}|${'-'.repeat(widths[1] + 2)}|${'-'.repeat(widths[2] + 2)}|--------|`);
  for (const r of rows) console.log(line(r));
  console.log(`image ${facts.imageMB ?? '?'} MB, proxy image ${facts.proxyMB ?? '?'} MB, build ${facts.build ?? '?'}, time to healthy ${facts.healthySeconds ?? '?'} s`);
  console.log(failed ? 'FAILED' : 'PASSED');
}

try {
  await main();
} catch (error) {
  failed = true;
  rows.push({ name: 'smoke driver', result: 'FAIL', seconds: '', detail: error.message });
} finally {
  teardown();
  printTable();
  process.exitCode = failed ? 1 : 0;
}
