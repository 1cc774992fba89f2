import { getQueueToken } from '@nestjs/bull';
import type { INestApplicationContext } from '@nestjs/common';
import { DiscoveryService, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Bull, { type Queue } from 'bull';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createApiApp, createWorkerContext } from '../src/bootstrap';
import { loadConfig, type AppConfig } from '../src/config/app-config';
import { GENERATION_QUEUE, RENDER_JOB } from '../src/queue/queue.constants';
import { eventually } from './support/helpers';
import { startAppProcess, type AppProcess } from './support/processes';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { TestEngine } from './support/test-engine';

/** Names of what a role must not contain: request handling and authentication (worker), job processing (API). */
const HTTP_ONLY = ['JwtAuthGuard', 'JwtStrategy', 'AuthService', 'AuthCache', 'OidcService', 'AccountSignInThrottle'];
const WORKER_ONLY = ['GenerationWorker', 'GenerationRunner', 'LoudnessBackfill', 'WebhookDispatcher', 'IdempotencyKeyPurge'];

function inventory(app: INestApplicationContext) {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const named = (wrappers: { metatype: unknown }[]) => wrappers.map((w) => (typeof w.metatype === 'function' ? w.metatype.name : '')).filter(Boolean);
  return { controllers: named(discovery.getControllers()), providers: named(discovery.getProviders()) };
}

/** The job names the Bull queue of this process consumes (Bull records one handler per `process()` call). */
const bullHandlers = (app: INestApplicationContext) => Object.keys((app.get<Queue>(getQueueToken(GENERATION_QUEUE)) as unknown as { handlers: Record<string, unknown> }).handlers);

/** TCP ports the process listens on, as `ss` (iproute2) reports them. */
async function listeningPorts(pid: number): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ss', ['-Hltnp']);
  return stdout.split('\n').filter((line) => line.includes(`pid=${pid},`)).map((line) => line.trim().split(/\s+/)[3]);
}

describe('process roles: the API module serves, the worker module works', () => {
  let db: TestDatabase;
  let storageDir: string;
  let env: Record<string, string>;
  let config: (role: string) => AppConfig;

  beforeAll(async () => {
    db = await createTestDatabase();
    storageDir = await mkdtemp(path.join(os.tmpdir(), 'texttune-roles-'));
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
      DATABASE_URL: db.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `tt-test-${randomBytes(4).toString('hex')}`,
      STORAGE_DIR: storageDir,
    };
    config = (role) => loadConfig({ ...env, TEXTTUNE_ROLE: role });
  });

  afterAll(async () => {
    const queue = new Bull(GENERATION_QUEUE, env.REDIS_URL, { prefix: env.REDIS_PREFIX });
    await queue.obliterate({ force: true });
    await queue.close();
    await db?.drop();
    await rm(storageDir, { recursive: true, force: true });
  });

  describe('in one Nest container each', () => {
    let api: NestExpressApplication;
    let worker: INestApplicationContext;

    beforeAll(async () => {
      api = await createApiApp({ config: config('api'), databaseUrl: db.url, engines: () => [new TestEngine()] });
      worker = await createWorkerContext({ config: config('worker'), databaseUrl: db.url, engines: () => [new TestEngine()] });
    }, 60_000);

    afterAll(async () => {
      await worker?.close();
      await api?.close();
    });

    it('the worker loads no controller, no HTTP adapter and nothing of authentication, and consumes the queue', async () => {
      const { controllers, providers } = inventory(worker);
      expect(controllers).toEqual([]);
      expect(worker.get(HttpAdapterHost).httpAdapter).toBeNull();
      expect(providers.filter((name) => HTTP_ONLY.includes(name))).toEqual([]);
      expect(providers).toEqual(expect.arrayContaining(WORKER_ONLY));
      // It starts consuming once it has seen the migrations applied.
      await eventually(async () => bullHandlers(worker).length > 0, 10_000);
      expect(bullHandlers(worker)).toEqual([RENDER_JOB]);
    });

    it('the API registers no queue processor and no background job, and serves every controller', async () => {
      // Given the time the worker above took to start consuming, the API would have too.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { controllers, providers } = inventory(api);
      expect(providers.filter((name) => WORKER_ONLY.includes(name))).toEqual([]);
      expect(bullHandlers(api)).toEqual([]);
      expect(controllers).toEqual(expect.arrayContaining(['GenerationsController', 'AuthController', 'HealthController', 'AdminController']));
      expect(providers).toEqual(expect.arrayContaining(['JwtAuthGuard', 'AuthService']));
    });
  });

  describe('as operating-system processes', () => {
    const procs: AppProcess[] = [];
    afterAll(() => Promise.all(procs.map((p) => p.stop())));

    it('a worker process listens on no port; an API process listens on its own', async () => {
      const apiProc = await startAppProcess({ ...env, TEXTTUNE_ROLE: 'api' }, 90_000);
      procs.push(apiProc);
      const workerProc = await startAppProcess({ ...env, TEXTTUNE_ROLE: 'worker' }, 90_000);
      procs.push(workerProc);
      expect(await listeningPorts(workerProc.child.pid!)).toEqual([]);
      expect(await listeningPorts(apiProc.child.pid!)).toEqual([`127.0.0.1:${apiProc.port}`]);
    }, 200_000);
  });
});
