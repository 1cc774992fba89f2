import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import path from 'node:path';
import { loadConfig } from '../config/app-config';
import { createDataSource } from './data-source';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';
import { pendingMigrations, runMigrationsLocked } from './migrate';

/**
 * Migration commands for operators:
 *   node dist/apps/api/database/cli.js run | revert | status
 * Uses DATABASE_URL, or starts the embedded database under DATA_DIR like `npm start`.
 */
async function main(command: string | undefined): Promise<void> {
  if (!command || !['run', 'revert', 'status'].includes(command)) {
    process.stderr.write('usage: cli.js run | revert | status\n');
    process.exitCode = 2;
    return;
  }
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env);
  let embedded: RunningPostgres | undefined;
  const url = config.database.url ?? (embedded = await startEmbeddedPostgres({ dataDir: path.join(config.database.dataDir, 'postgres'), database: 'texttune' })).url;
  const dataSource = await createDataSource(url).initialize();
  try {
    if (command === 'run') {
      const applied = await runMigrationsLocked(dataSource);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply: the database is up to date');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last applied migration');
    } else {
      const pending = await pendingMigrations(dataSource);
      console.log(pending.length ? `pending: ${pending.join(', ')}` : 'up to date');
    }
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
