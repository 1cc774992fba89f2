import 'reflect-metadata';
import { VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppModule } from './app.module';
import { createOpenApiDocument } from './bootstrap';
import { loadConfig } from './config/app-config';

/**
 * Writes the OpenAPI document that /docs/openapi.json serves, without a database or Redis:
 * Nest's preview mode reads the modules' routes and metadata but creates no providers, so
 * nothing connects. `npm run openapi:types` turns it into TypeScript types.
 *
 *   node -r ./tools/build/register.cjs apps/api/src/openapi-dump.ts [out.json]   (stdout without a path)
 */
async function main(): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' });
  // Never connected to in preview mode; the module needs a URL to be described.
  const databaseUrl = 'postgres://preview.invalid/texttune';
  const app = await NestFactory.create(AppModule.forRoot({ config, databaseUrl }, 'api'), { preview: true, logger: false });
  app.enableVersioning({ type: VersioningType.URI });
  const json = `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`;
  await app.close();
  const out = process.argv[2];
  if (!out) {
    process.stdout.write(json);
    return;
  }
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  await writeFile(out, json);
}

main().catch((error: unknown) => {
  process.stderr.write(`The OpenAPI document could not be built: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
