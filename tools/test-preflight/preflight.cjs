// What the tests need from the machine, provisioned where it can be before jest runs any
// test (jest's globalSetup, see jest.config.js), stopped after the run (globalTeardown):
//
// - Debian packages the tests drive (Chromium for the web client's end-to-end tests, with a
//   Korean font for legible screenshots; ffmpeg, aubio-tools and bpm-tools as reference
//   meters; Info-ZIP's unzip as the reference reader of stem archives; iproute2's ss to see
//   which ports a process listens on): installed with apt-get when running as root, else
//   named with the command that installs them;
// - Postgres at TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres):
//   when nothing answers at the default address, a real Postgres from the npm-packaged
//   binaries (the same embedded Postgres as `npm start`) in a temporary cluster;
// - Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379): when nothing answers at the
//   default address, Debian's redis-server on a free loopback port.
//
// The URLs of what it started reach the tests as TEST_POSTGRES_URL and TEST_REDIS_URL
// (jest's workers inherit this process's environment). What it cannot provide stops the
// run at once with one sentence saying what is missing and the command that installs it.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { chmod, mkdir, mkdtemp, rm } = require('node:fs/promises');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Each Debian package the tests need, and how to tell that it is installed. */
const DEBIAN_NEEDS = [
  { pkg: 'chromium', present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') },
  { pkg: 'fonts-nanum', present: () => existsSync('/usr/share/fonts/truetype/nanum') },
  { pkg: 'ffmpeg', present: () => onPath('ffmpeg') && onPath('ffprobe') },
  { pkg: 'aubio-tools', present: () => onPath('aubio') },
  { pkg: 'bpm-tools', present: () => onPath('bpm') },
  { pkg: 'unzip', present: () => onPath('unzip') },
  { pkg: 'iproute2', present: () => onPath('ss') },
];

function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));
}

const say = (line) => process.stderr.write(`[test preflight] ${line}\n`);

/** Ends the run here, before any test, with one sentence. */
function stop(sentence) {
  process.stderr.write(`\n[test preflight] ${sentence}\n\n`);
  process.exit(1);
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const canApt = () => isRoot() && onPath('apt-get') && onPath('dpkg');

function aptInstall(packages) {
  say(`installing ${packages.join(', ')} with apt-get (running as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const options = { stdio: ['ignore', 'inherit', 'inherit'], env };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...packages]]) {
    const result = spawnSync('apt-get', args, options);
    if (result.status !== 0) stop(`apt-get ${args[0]} failed (exit ${result.status}) while installing ${packages.join(' ')} for the tests; run \`apt-get install ${packages.join(' ')}\` yourself and see its message.`);
  }
}

/** Whether a Redis server answers PING (or asks for a password, which is an answer too) at `url`. */
function redisAnswers(url, timeoutMs = 1500) {
  const target = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(target.port || 6379), target.hostname);
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

/** 'ok', 'unreachable' (nothing listens) or the error of a server that answered but refused us. */
async function postgresState(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ok';
  } catch (error) {
    return ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT'].includes(error.code) || /timeout/i.test(error.message) ? 'unreachable' : error.message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not answer within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

/** @type {{ dir?: string, postgres?: { stop(): Promise<void> }, redis?: import('node:child_process').ChildProcess }} */
const started = (globalThis.__texttuneTestServices ??= {});

async function workDir() {
  if (!started.dir) {
    started.dir = await mkdtemp(path.join(os.tmpdir(), 'texttune-test-services-'));
    // Run as root, Postgres runs as the "postgres" account, which must reach its cluster here.
    await chmod(started.dir, 0o755);
  }
  return started.dir;
}

async function startRedis() {
  const { freePort } = require('../../apps/api/src/common/free-port');
  const port = await freePort();
  const dir = path.join(await workDir(), 'redis');
  await mkdir(dir, { recursive: true });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', path.join(dir, 'redis.log')], { stdio: 'ignore' });
  child.once('error', (error) => say(`redis-server: ${error.message}`));
  started.redis = child;
  const url = `redis://127.0.0.1:${port}`;
  await waitFor(() => redisAnswers(url), 15_000, `redis-server on port ${port}`);
  return url;
}

async function startPostgres() {
  const { startEmbeddedPostgres } = require('../../apps/api/src/database/embedded-postgres');
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(await workDir(), 'postgres', 'cluster'), database: 'postgres', startTimeoutMs: 60_000 });
  started.postgres = postgres;
  return postgres.url;
}

/** Whether this run selects only some tests (a path or `--selectProjects`): then missing packages only warn. */
function isPartialRun(globalConfig) {
  return Boolean(globalConfig?.testPathPatterns?.isSet?.() || globalConfig?.testNamePattern || globalConfig?.selectProjects?.length || globalConfig?.onlyChanged || globalConfig?.findRelatedTests);
}

async function globalSetup(globalConfig) {
  if (process.env.TEST_PREFLIGHT === 'off') return;
  require('../build/register.cjs');
  process.on('exit', () => {
    started.redis?.kill('SIGTERM');
    void started.postgres?.stop();
  });

  const postgresUrl = process.env.TEST_POSTGRES_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  const [postgres, redis] = await Promise.all([postgresState(postgresUrl ?? DEFAULT_POSTGRES_URL), redisAnswers(redisUrl ?? DEFAULT_REDIS_URL)]);
  if (postgresUrl && postgres !== 'ok') stop(`Postgres at TEST_POSTGRES_URL (${redact(postgresUrl)}) ${postgres === 'unreachable' ? 'does not answer' : `refuses the tests: ${postgres}`}; start it, or unset TEST_POSTGRES_URL to let the tests start their own Postgres.`);
  if (!postgresUrl && postgres !== 'ok' && postgres !== 'unreachable') stop(`Postgres at ${DEFAULT_POSTGRES_URL} answers but refuses the tests (${postgres}); allow that superuser without a password there, or set TEST_POSTGRES_URL to a superuser URL.`);
  if (redisUrl && !redis) stop(`Redis at TEST_REDIS_URL (${redact(redisUrl)}) does not answer; start it, or unset TEST_REDIS_URL to let the tests start their own.`);

  const missing = DEBIAN_NEEDS.filter((need) => !need.present()).map((need) => need.pkg);
  if (!redis && !onPath('redis-server')) missing.push('redis-server');
  if (missing.length) {
    if (canApt()) aptInstall(missing);
    else if (isPartialRun(globalConfig) && !missing.includes('redis-server')) say(`missing ${missing.join(', ')}: tests that use them fail; \`sudo apt-get install ${missing.join(' ')}\` installs them.`);
    else stop(`The tests need the Debian package${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed: run \`sudo apt-get install ${missing.join(' ')}\` (or run npm test as root, which installs ${missing.length > 1 ? 'them' : 'it'}).`);
  }

  try {
    if (postgres === 'unreachable') {
      const since = Date.now();
      process.env.TEST_POSTGRES_URL = await startPostgres();
      say(`nothing answers at ${DEFAULT_POSTGRES_URL}: started the embedded Postgres for the tests on ${new URL(process.env.TEST_POSTGRES_URL).host} (${Date.now() - since} ms)`);
    }
    if (!redis) {
      process.env.TEST_REDIS_URL = await startRedis();
      say(`nothing answers at ${DEFAULT_REDIS_URL}: started redis-server for the tests on ${new URL(process.env.TEST_REDIS_URL).host}`);
    }
  } catch (error) {
    await globalTeardown();
    stop(`Could not start a database server for the tests: ${error.message}`);
  }
}

async function globalTeardown() {
  const { redis, postgres, dir } = started;
  if (redis && redis.exitCode === null) {
    const exited = new Promise((resolve) => redis.once('exit', resolve));
    redis.kill('SIGTERM');
    await exited;
  }
  await postgres?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  delete globalThis.__texttuneTestServices;
}

function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

module.exports = { globalSetup, globalTeardown, redisAnswers, postgresState };
