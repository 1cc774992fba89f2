import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApiApp } from '../../src/bootstrap';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { createTestDatabase, type TestDatabase } from './test-database';

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
export async function startTestApp(env: Record<string, string> = {}, options: { migrate?: boolean } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: 'test-secret-that-is-long-enough-0123456789', ...env });
  let app: NestExpressApplication;
  try {
    app = await createApiApp({ config, databaseUrl: db.url, migrate: options.migrate ?? true });
  } catch (error) {
    await db.drop();
    throw error;
  }
  return {
    app,
    config,
    db,
    http: () => request(app.getHttpServer()),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
