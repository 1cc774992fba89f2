import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApiApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MusicEngine } from '../../src/engines/music-engine';
import { createTestDatabase, type TestDatabase } from './test-database';
import { TestEngine } from './test-engine';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  db: TestDatabase;
  /** supertest bound to the running app */
  http(): TestAgent;
  close(): Promise<void>;
}

/**
 * Boots the real application (same bootstrap as production) against a fresh database
 * on the machine's Postgres. `env` overrides the test defaults.
 */
export interface TestAppOptions {
  migrate?: boolean;
  engines?: MusicEngine[];
  /** reuse a database instead of creating one (not dropped by close) */
  db?: TestDatabase;
}

export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const storageDir = await mkdtemp(path.join(os.tmpdir(), 'texttune-storage-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: 'test-secret-that-is-long-enough-0123456789', STORAGE_DIR: storageDir, ...env });
  const engines = options.engines ?? [new TestEngine()];
  let app: NestExpressApplication;
  try {
    app = await createApiApp({ config, databaseUrl: db.url, migrate: options.migrate ?? true, engines: () => engines });
  } catch (error) {
    if (!options.db) await db.drop();
    throw error;
  }
  return {
    app,
    config,
    db,
    http: () => request(app.getHttpServer()),
    async close() {
      await app.close();
      if (!options.db) await db.drop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
