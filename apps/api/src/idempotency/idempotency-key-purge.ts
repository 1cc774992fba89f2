import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { MigrationStatus } from '../database/migration-status';
import { IdempotencyStore } from './idempotency.store';

/** How often expired keys are deleted. */
const PURGE_INTERVAL_MS = 15 * 60_000;

/** Deletes expired idempotency keys at start and every PURGE_INTERVAL_MS (a worker's job). */
@Injectable()
export class IdempotencyKeyPurge implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('IdempotencyKeyPurge');
  private timer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly migrations: MigrationStatus,
  ) {}

  onApplicationBootstrap(): void {
    const purge = () =>
      this.store.purgeExpired().then(
        (count) => count && this.logger.log(`deleted ${count} expired idempotency keys`),
        (error: Error) => this.logger.warn(`idempotency key purge failed: ${error.message}`),
      );
    const start = async () => {
      if (!(await this.migrations.applied(() => this.stopping))) return;
      void purge();
      this.timer = setInterval(() => void purge(), PURGE_INTERVAL_MS);
      this.timer.unref();
    };
    start().catch((error: Error) => this.logger.warn(`idempotency key purge did not start: ${error.message}`));
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
    clearInterval(this.timer);
  }
}
