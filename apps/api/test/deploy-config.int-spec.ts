import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../src/config/app-config';

/**
 * Docker cannot run on the development machines, so the deployment files are checked
 * here against what the application expects: docker-compose.yml (services, roles,
 * healthchecks, volumes, required variables, hardening), docker/Dockerfile, and the
 * behaviour of the image's entrypoint and healthcheck scripts.
 */
const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  env_file?: ({ path: string; required?: boolean } | string)[];
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
  restart?: string;
  cap_drop?: string[];
  security_opt?: string[];
  read_only?: boolean;
  container_name?: string;
  stop_grace_period?: string;
  deploy?: unknown;
}
interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

/** Compose's variable interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$. */
function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Z0-9_]+)(?:(:?)([-?])((?:[^}]|\}(?!\}))*?))?\}/g, (_match, name: string | undefined, colon: string, op: string, arg: string) => {
    if (!name) return '$';
    const current = env[name];
    const missing = colon ? !current : current === undefined;
    if (!op) return current ?? '';
    if (op === '-') return missing ? arg : current!;
    if (missing) throw new Error(`required variable ${name} is missing a value: ${arg}`);
    return current!;
  });
}

const resolveEnv = (service: ComposeService, env: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), env)]));

const seconds = (duration: string) => {
  const m = /^(\d+)(s|m)$/.exec(duration);
  return m ? Number(m[1]) * (m[2] === 'm' ? 60 : 1) : NaN;
};

/** The variables `.env.example` documents (every one the app validates, by app-config.spec). */
const documented = new Set([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;
  const { services } = compose;
  // What an operator's .env holds: Compose interpolates it into each service's environment.
  const deployEnv = { JWT_SECRET: randomBytes(48).toString('base64'), POSTGRES_PASSWORD: 'b1c2d3', METRICS_TOKEN: randomBytes(24).toString('hex') };
  const appServices = ['api', 'worker'] as const;

  it('has postgres, redis, api, worker, the proxy and the demo fake Space', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'fake-space', 'postgres', 'proxy', 'redis', 'worker']);
    expect(services['fake-space'].profiles).toEqual(['demo']);
    for (const name of ['postgres', 'redis', 'api', 'worker', 'proxy']) expect(services[name].profiles).toBeUndefined();
  });

  it('is read by Compose v1.29 too: no top-level name, no env_file (every variable explicit)', () => {
    expect(compose.name).toBeUndefined();
    for (const service of Object.values(services)) expect(service.env_file).toBeUndefined();
  });

  it('runs each role from the one image, with the environment the app validates (and accepts)', () => {
    const roles: Record<string, string> = { api: 'api', worker: 'worker' };
    for (const name of appServices) {
      const service = services[name];
      expect(service.build).toEqual({ context: '.', dockerfile: 'docker/Dockerfile' });
      expect(service.image).toBe(services.api.image);
      const env = resolveEnv(service, deployEnv);
      expect(Object.keys(env).filter((k) => !CONFIG_VARIABLES.includes(k))).toEqual([]);
      const config = loadConfig(env);
      expect(config.role).toBe(roles[name]);
      expect(config.isProduction).toBe(true);
      expect(config.redisUrl).toBe('redis://redis:6379');
      expect(config.database.url).toBe(`postgres://texttune:${deployEnv.POSTGRES_PASSWORD}@postgres:5432/texttune`);
      expect(config.healthFile).toBeDefined();
    }
    expect(services['fake-space'].image).toBe(services.api.image);
    expect(services['fake-space'].command).toEqual(['fake-space']);
  });

  it('stops the deploy with a message when JWT_SECRET or POSTGRES_PASSWORD is missing', () => {
    expect(() => resolveEnv(services.api, { POSTGRES_PASSWORD: 'x' })).toThrow(/JWT_SECRET is required/);
    expect(() => resolveEnv(services.worker, { JWT_SECRET: 'x', POSTGRES_PASSWORD: '' })).toThrow(/POSTGRES_PASSWORD is required/);
    expect(() => resolveEnv(services.postgres, {})).toThrow(/POSTGRES_PASSWORD is required/);
    expect(services.api.environment!.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
  });

  it('gives each service only its variables: the database password reaches the API and workers only inside DATABASE_URL', () => {
    const apiOrWorker = new Set(appServices.flatMap((name) => Object.keys(services[name].environment ?? {})));
    // Every variable the app reads reaches a role from .env, except the few a container does not use.
    expect(CONFIG_VARIABLES.filter((v) => !apiOrWorker.has(v) && !['DATA_DIR'].includes(v))).toEqual([]);
    for (const name of [...appServices, 'proxy', 'redis', 'fake-space']) {
      const raw = Object.entries(services[name].environment ?? {}).filter(([key]) => key !== 'DATABASE_URL');
      expect({ name, password: raw.filter(([, value]) => String(value).includes('POSTGRES_PASSWORD')).map(([key]) => key) }).toEqual({ name, password: [] });
    }
    // The proxy's one secret: the key it checks signed audio URLs with, shared with the API.
    expect(Object.keys(services.proxy.environment ?? {}).filter((k) => /SECRET|TOKEN|PASSWORD|KEY/.test(k))).toEqual(['AUDIO_OFFLOAD_SIGNING_KEY']);
    expect(services.proxy.environment!.AUDIO_OFFLOAD_SIGNING_KEY).toBe(services.api.environment!.AUDIO_OFFLOAD_SIGNING_KEY);
    expect(services.worker.environment!.OIDC_CLIENT_SECRET).toBeUndefined();
    // The compose-only variables are documented too.
    const composeVariables = new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]));
    expect([...composeVariables].filter((v) => !documented.has(v))).toEqual([]);
  });

  it('shares one audio volume between the API and every worker, mounted at STORAGE_DIR', () => {
    for (const name of appServices) {
      const storageDir = resolveEnv(services[name], deployEnv).STORAGE_DIR;
      expect(services[name].volumes).toContain(`audio:${storageDir}`);
    }
    expect(services.proxy.volumes).toContain('audio:/data/storage:ro');
    expect(Object.keys(compose.volumes).sort()).toEqual(['audio', 'pgdata', 'redisdata', 'tls']);
    expect(services.postgres.volumes).toEqual(['pgdata:/var/lib/postgresql/data']);
    expect(services.redis.volumes).toEqual(['redisdata:/data']);
  });

  it('checks health: pg_isready, redis ping, the API on /v1/health/ready, workers by their report', () => {
    expect(services.postgres.image).toMatch(/^postgres:\d+(\.\d+)?(-[a-z0-9]+)?$/);
    expect(services.postgres.healthcheck!.test.join(' ')).toMatch(/pg_isready -U texttune -d texttune/);
    expect(services.redis.image).toMatch(/^redis:\d+(\.\d+)?(-[a-z0-9]+)?$/);
    expect(services.redis.healthcheck!.test.join(' ')).toMatch(/redis-cli ping/);
    const apiEnv = resolveEnv(services.api, deployEnv);
    expect(services.api.healthcheck!.test).toEqual(['CMD', 'node', '/app/docker/healthcheck.cjs', `http://127.0.0.1:${apiEnv.PORT}/v1/health/ready`]);
    expect(services.worker.healthcheck!.test).toEqual(['CMD', 'node', '/app/docker/healthcheck.cjs']);
    for (const name of appServices) {
      expect(services[name].depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    }
  });

  it('keeps Redis durable for the queue: append-only, never evicting', () => {
    const command = services.redis.command!.join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
  });

  it('publishes only the proxy, which the API trusts and leaves the audio bytes to; workers scale (no name, no ports)', () => {
    expect(services.proxy.ports).toEqual(['${HTTP_PORT:-8080}:8080', '${HTTPS_PORT:-8443}:8443']);
    for (const name of ['api', 'worker', 'postgres', 'redis', 'fake-space']) expect(services[name].ports).toBeUndefined();
    const api = loadConfig(resolveEnv(services.api, deployEnv));
    expect(api.http.trustProxy).toBe(true);
    expect(api.storage.audioOffload.mode).toBe('nginx');
    expect(resolveEnv(services.proxy, deployEnv)).toMatchObject({ API_UPSTREAM: `api:${api.http.port}`, AUDIO_DIR: api.storageDir, BODY_LIMIT: api.http.bodyLimit });
    expect(services.worker.container_name).toBeUndefined();
    expect(services.worker.deploy).toEqual({ replicas: 1 });
  });

  it('hardens every service and gives workers time to finish a job on stop', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, cap_drop: service.cap_drop }).toEqual({ name, cap_drop: ['ALL'] });
      expect({ name, security_opt: service.security_opt }).toEqual({ name, security_opt: ['no-new-privileges:true'] });
      expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
    }
    for (const name of [...appServices, 'fake-space', 'proxy']) expect(services[name].read_only).toBe(true);
    for (const name of appServices) {
      const grace = Number(interpolate(services[name].environment!.SHUTDOWN_GRACE_SECONDS, {}));
      expect(grace).toBe(loadConfig({}).queue.shutdownGraceSeconds);
      expect(seconds(services[name].stop_grace_period!)).toBeGreaterThan(grace + 10);
    }
  });
});

describe('docker/Dockerfile', () => {
  const text = read('docker/Dockerfile');
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const instructions = lines.map((l) => ({ op: l.split(/\s+/)[0].toUpperCase(), args: l.slice(l.split(/\s+/)[0].length).trim() }));
  const stages = instructions.reduce<{ name: string; from: string; body: typeof instructions }[]>((acc, ins) => {
    if (ins.op === 'FROM') {
      const [from, , name] = ins.args.split(/\s+/);
      acc.push({ name: name ?? String(acc.length), from, body: [] });
    } else acc.at(-1)?.body.push(ins);
    return acc;
  }, []);
  const final = stages.at(-1)!;
  const nodeImage = /^ARG NODE_IMAGE=(\S+)$/m.exec(text)?.[1];

  it('is multi-stage on Node 20 slim, flattened into one runtime layer, and needs no frontend image (no # syntax= line)', () => {
    expect(nodeImage).toMatch(/^node:20(\.\d+)*-[a-z]+-slim$/);
    expect(text).not.toMatch(/^#\s*syntax=/im);
    expect(stages.map((s) => s.name)).toEqual(['deps', 'build', 'prod-deps', 'runtime-base', 'runtime']);
    expect(stages.filter((s) => !['deps', 'runtime'].includes(s.name)).every((s) => s.from === '${NODE_IMAGE}' || s.from === 'deps')).toBe(true);
    expect(final.from).toBe('scratch');
    expect(final.body[0]).toEqual({ op: 'COPY', args: '--from=runtime-base / /' });
    expect(final.body.some((i) => i.op === 'RUN')).toBe(false);
  });

  it('builds the API as the project does, the web client and the demo fake Space', () => {
    const project = JSON.parse(read('apps/api/project.json')) as { targets: { build: { command: string } } };
    const build = stages.find((s) => s.name === 'build')!.body.filter((i) => i.op === 'RUN').map((i) => i.args).join(' ');
    expect(build).toContain(project.targets.build.command);
    expect(build).toContain('nx run web:build:production');
    expect(build).toContain('node tools/build/build-node.mjs tools/fake-space dist/tools/fake-space');
    // The web client where the API looks for it (next to the compiled API).
    expect(final.body.filter((i) => i.op === 'COPY').map((i) => i.args)).toEqual(expect.arrayContaining(['--from=build /src/dist/apps/api ./dist/apps/api', '--from=build /src/dist/apps/web ./dist/apps/web']));
    expect(stages.find((s) => s.name === 'prod-deps')!.body.some((i) => i.op === 'RUN' && /npm ci --omit=dev/.test(i.args))).toBe(true);
  });

  it('copies only files that exist, and the build context keeps them', () => {
    const ignore = read('docker/Dockerfile.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
    for (const copy of instructions.filter((i) => i.op === 'COPY' && !i.args.includes('--from='))) {
      const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        expect({ source, exists: existsSync(path.join(ROOT, source)) }).toEqual({ source, exists: true });
        expect(ignore.filter((pattern) => source === pattern || source.startsWith(`${pattern}/`))).toEqual([]);
      }
    }
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', 'dist', '.env', '.git']));
  });

  it('runs as a non-root user under tini, with the entrypoint and a HEALTHCHECK', () => {
    const user = final.body.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(final.body.find((i) => i.op === 'HEALTHCHECK')?.args).toMatch(/CMD \["node", "\/app\/docker\/healthcheck\.cjs"\]$/);
    expect(final.body.find((i) => i.op === 'ENTRYPOINT')?.args).toBe('["/usr/bin/tini", "--", "/app/docker/entrypoint.sh"]');
    expect(final.body.find((i) => i.op === 'CMD')?.args).toBe('["serve"]');
    expect(stages.find((s) => s.name === 'runtime-base')!.body.some((i) => i.op === 'RUN' && /apt-get install [^&]*\btini\b/.test(i.args))).toBe(true);
  });

  it('sets only variables the app validates, to values it accepts', () => {
    const env: Record<string, string> = {};
    for (const ins of final.body.filter((i) => i.op === 'ENV')) {
      for (const m of ins.args.matchAll(/([A-Z0-9_]+)=(\S+)/g)) env[m[1]] = m[2];
    }
    // PATH: the runtime starts from scratch, so it sets the shell's search path itself.
    expect(env.PATH).toMatch(/(^|:)\/usr\/local\/bin(:|$)/);
    delete env.PATH;
    expect(Object.keys(env).filter((k) => !CONFIG_VARIABLES.includes(k))).toEqual([]);
    const config = loadConfig({ ...env, JWT_SECRET: randomBytes(48).toString('base64'), METRICS_TOKEN: randomBytes(24).toString('hex'), TEXTTUNE_ROLE: 'all' });
    expect(config.isProduction).toBe(true);
    expect(config.storageDir).toBe('/data/storage');
    expect(config.healthFile).toBe('/tmp/texttune-health.json');
    expect(config.http.port).toBe(4000);
  });
});

/** Runs a script, resolving with its exit code and output (never rejecting). */
function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 15_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('docker/entrypoint.sh', () => {
  let dir: string;
  let log: string;
  const entrypoint = path.join(ROOT, 'docker/entrypoint.sh');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'texttune-entrypoint-'));
    log = path.join(dir, 'calls.log');
    // A stand-in for node that records each call; FAIL_CLI makes the migration fail.
    await writeFile(
      path.join(dir, 'node'),
      `#!/bin/sh\necho "node $*" >> "${log}"\ncase "$1" in *cli.js) [ -n "\${FAIL_CLI:-}" ] && exit 3 ;; esac\nexit 0\n`,
    );
    await chmod(path.join(dir, 'node'), 0o755);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const start = async (env: Record<string, string>, args: string[] = []) => {
    await rm(log, { force: true });
    const result = await run('/bin/sh', [entrypoint, ...args], { PATH: `${dir}:/usr/bin:/bin`, APP_DIR: '/app', ...env });
    const calls = existsSync(log) ? (await readFile(log, 'utf8')).trim().split('\n') : [];
    return { ...result, calls };
  };

  it('migrates first in the API role, then starts the server', async () => {
    const { code, calls } = await start({ TEXTTUNE_ROLE: 'api', DATABASE_URL: 'postgres://x@db/t' });
    expect(code).toBe(0);
    expect(calls).toEqual(['node /app/dist/apps/api/database/cli.js run', 'node /app/dist/apps/api/main.js']);
  });

  it('never migrates in the worker role', async () => {
    const { code, calls } = await start({ TEXTTUNE_ROLE: 'worker', DATABASE_URL: 'postgres://x@db/t' });
    expect(code).toBe(0);
    expect(calls).toEqual(['node /app/dist/apps/api/main.js']);
  });

  it('leaves migrations to the server with the embedded database (role all, no DATABASE_URL)', async () => {
    expect((await start({})).calls).toEqual(['node /app/dist/apps/api/main.js']);
  });

  it('does not start the server when the migrations fail', async () => {
    const { code, calls } = await start({ TEXTTUNE_ROLE: 'all', DATABASE_URL: 'postgres://x@db/t', FAIL_CLI: '1' });
    expect(code).toBe(3);
    expect(calls).toEqual(['node /app/dist/apps/api/database/cli.js run']);
  });

  it('refuses an unknown role', async () => {
    const { code, stderr, calls } = await start({ TEXTTUNE_ROLE: 'web' });
    expect(code).toBe(64);
    expect(stderr).toMatch(/TEXTTUNE_ROLE must be all, api or worker/);
    expect(calls).toEqual([]);
  });

  it('has operator commands', async () => {
    expect((await start({}, ['migrate-status'])).calls).toEqual(['node /app/dist/apps/api/database/cli.js status']);
    expect((await start({}, ['migrate'])).calls).toEqual(['node /app/dist/apps/api/database/cli.js run']);
    expect((await start({}, ['invite', 'first.admin@example.com'])).calls).toEqual(['node /app/dist/apps/api/database/cli.js invite first.admin@example.com']);
    expect((await start({}, ['fake-space'])).calls).toEqual(['node /app/dist/tools/fake-space/main.js']);
    expect((await start({}, ['healthcheck', 'http://x/'])).calls).toEqual(['node /app/docker/healthcheck.cjs http://x/']);
  });
});

describe('docker/healthcheck.cjs', () => {
  let dir: string;
  const script = path.join(ROOT, 'docker/healthcheck.cjs');
  const check = (env: Record<string, string>, args: string[] = []) => run(process.execPath, [script, ...args], { PATH: process.env.PATH ?? '', ...env });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'texttune-healthcheck-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('worker role: healthy only with a recent "ok" report', async () => {
    const file = path.join(dir, 'health.json');
    const env = { TEXTTUNE_ROLE: 'worker', HEALTH_FILE: file };
    expect(await check(env)).toMatchObject({ code: 1, stdout: expect.stringMatching(/no health report/) });
    await writeFile(file, JSON.stringify({ status: 'ok', role: 'worker', pid: 1, at: new Date().toISOString(), details: {} }));
    expect(await check(env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^healthy/) });
    await writeFile(file, JSON.stringify({ status: 'ok', role: 'worker', pid: 1, at: new Date(Date.now() - 120_000).toISOString(), details: {} }));
    // The report's age is read when the check runs, a second or more later on a busy machine.
    expect(await check(env)).toMatchObject({ code: 1, stdout: expect.stringMatching(/the health report is 1[2-3]\d s old/) });
    await writeFile(file, JSON.stringify({ status: 'error', role: 'worker', pid: 1, at: new Date().toISOString(), details: { queue: { status: 'down', message: 'queue unreachable' } } }));
    expect(await check(env)).toMatchObject({ code: 1, stdout: expect.stringMatching(/queue: queue unreachable/) });
    expect(await check({ TEXTTUNE_ROLE: 'worker' })).toMatchObject({ code: 1, stdout: expect.stringMatching(/HEALTH_FILE is not set/) });
  });

  it('API roles: healthy only when readiness answers 200', async () => {
    let status = 200;
    const server = http.createServer((req, res) => {
      res.statusCode = req.url === '/v1/health/ready' ? status : 404;
      res.end(JSON.stringify({ status: status === 200 ? 'ok' : 'error' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = String((server.address() as AddressInfo).port);
    try {
      expect((await check({ TEXTTUNE_ROLE: 'api', PORT: port })).code).toBe(0);
      status = 503;
      expect(await check({ TEXTTUNE_ROLE: 'all', PORT: port })).toMatchObject({ code: 1, stdout: expect.stringMatching(/answered 503/) });
      status = 200;
      expect((await check({ TEXTTUNE_ROLE: 'worker' }, [`http://127.0.0.1:${port}/v1/health/ready`])).code).toBe(0);
    } finally {
      server.close();
    }
    expect(await check({ TEXTTUNE_ROLE: 'api', PORT: port })).toMatchObject({ code: 1, stdout: expect.stringMatching(/did not answer/) });
  });
});
