import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import path from 'node:path';
import { INVITE_DEFAULT_HOURS } from '@texttune/contracts';
import { loadConfig } from '../config/app-config';
import { InviteEntity } from '../users/invite.entity';
import { InviteRepository } from '../users/invite.repository';
import { InvitesService } from '../users/invites.service';
import { ENTITIES } from '../entities';
import { createDataSource } from './data-source';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';
import { pendingMigrations, runMigrationsLocked } from './migrate';
import { Sql } from './sql';

/**
 * Commands for operators:
 *   node dist/apps/api/database/cli.js run | revert | status   migrations
 *   node dist/apps/api/database/cli.js invite [email]          a one-time sign-up code (REGISTRATION=invite),
 *                                                              e.g. for the first admin of a password-only installation
 * Uses DATABASE_URL, or starts the embedded database under DATA_DIR like `npm start`.
 */
async function main(command: string | undefined, args: string[]): Promise<void> {
  if (!command || !['run', 'revert', 'status', 'invite'].includes(command)) {
    process.stderr.write('usage: cli.js run | revert | status | invite [email]\n');
    process.exitCode = 2;
    return;
  }
  if (command === 'invite' && args[0] !== undefined && !/^[^@\s]+@[^@\s]+$/.test(args[0])) {
    process.stderr.write(`invite: "${args[0]}" is not an email address like name@example.com\n`);
    process.exitCode = 2;
    return;
  }
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env);
  let embedded: RunningPostgres | undefined;
  const url = config.database.url ?? (embedded = await startEmbeddedPostgres({ dataDir: path.join(config.database.dataDir, 'postgres'), database: 'texttune' })).url;
  const dataSource = await createDataSource(url, ENTITIES).initialize();
  try {
    if (command === 'invite') {
      const sql = new Sql(dataSource);
      const { invite, code } = await new InvitesService(new InviteRepository(sql, dataSource.getRepository(InviteEntity))).create(sql, {
        createdBy: null,
        email: args[0],
        expiresInHours: INVITE_DEFAULT_HOURS,
      });
      console.log(`invite code: ${code}\nsign-up page: /signin?invite=${encodeURIComponent(code)}\nfor: ${invite.email ?? 'anyone with the code'}, until ${invite.expiresAt.toISOString()}`);
    } else if (command === 'run') {
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

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
