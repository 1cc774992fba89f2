import type { DataSource } from 'typeorm';
import { migrationsApplied, pendingMigrations } from './migrate';

/** Whether the database has every migration of this build, for services that must not run before it does. */
export class MigrationStatus {
  constructor(private readonly dataSource: DataSource) {}

  /** Names of the migrations this build knows that the database has not applied yet. */
  pending(): Promise<string[]> {
    return pendingMigrations(this.dataSource);
  }

  /** Resolves true once every migration is applied (polling each second), false as soon as `stopping()` is true. */
  applied(stopping: () => boolean, onWait?: () => void): Promise<boolean> {
    return migrationsApplied(this.dataSource, stopping, onWait);
  }
}
