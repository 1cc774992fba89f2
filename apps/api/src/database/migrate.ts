import type { DataSource } from 'typeorm';

/** Arbitrary, fixed: every TextTune process agrees on it. */
const MIGRATION_LOCK_KEY = 7_404_281_001;

/**
 * Runs pending migrations while holding a Postgres advisory lock, so API replicas that
 * start at the same moment apply each migration once: the second waits, then finds
 * nothing left to do. Returns the names of the migrations it applied.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** Names of the migrations this build knows that the database has not applied yet. */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const known = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
  const hasTable: { present: boolean }[] = await dataSource.query(`SELECT to_regclass('migrations') IS NOT NULL AS present`);
  if (!hasTable[0]?.present) return known;
  const rows: { name: string }[] = await dataSource.query('SELECT name FROM migrations');
  const applied = new Set(rows.map((r) => r.name));
  return known.filter((name) => !applied.has(name));
}

/**
 * Resolves true once the database has every migration this build knows. Migrations
 * belong to the API role, so a worker that starts first polls every second, calling
 * `onWait` once if it has to wait; resolves false as soon as `stopping()` is true.
 */
export async function migrationsApplied(dataSource: DataSource, stopping: () => boolean, onWait?: () => void): Promise<boolean> {
  for (let waited = 0; (await pendingMigrations(dataSource)).length; waited++) {
    if (stopping()) return false;
    if (waited === 0) onWait?.();
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return !stopping();
}
