import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { migrationsApplied } from '../database/migrate';
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
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    const purge = () =>
      this.store.purgeExpired().then(
        (count) => count && this.logger.log(`deleted ${count} expired idempotency keys`),
        (error: Error) => this.logger.warn(`idempotency key purge failed: ${error.message}`),
      );
    const start = async () => {
      if (!(await migrationsApplied(this.dataSource, () => this.stopping))) return;
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
