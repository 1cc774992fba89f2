/**
 * A TextTune process for multi-process tests: the real bootstrap (API, worker or both,
 * by TEXTTUNE_ROLE) with the test engine, run from the TypeScript sources:
 *
 *   node -r ./tools/build/register.cjs apps/api/test/support/app-process.ts
 *
 * Reads DATABASE_URL, REDIS_URL, STORAGE_DIR, PORT…; the test engine renders a take in
 * TEST_ENGINE_MS_PER_SECOND milliseconds per second of requested audio. Prints
 * "READY <port>" when serving (API) or "READY worker" when started (worker).
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { createApiApp, createWorkerContext } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { TestEngine } from './test-engine';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const databaseUrl = config.database.url;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const engines = () => [new TestEngine('test', { msPerAudioSecond: Number(process.env.TEST_ENGINE_MS_PER_SECOND ?? 0), steps: 10 })];
  let app: INestApplicationContext;
  if (config.role === 'worker') {
    app = await createWorkerContext({ config, databaseUrl, engines });
    process.stdout.write('READY worker\n');
  } else {
    const http = await createApiApp({ config, databaseUrl, engines });
    await http.listen(config.http.port, '127.0.0.1');
    app = http;
    process.stdout.write(`READY ${config.http.port}\n`);
  }
  const shutdown = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
