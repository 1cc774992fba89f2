import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AUDIO_STORAGE, type AudioStorage } from './audio-storage';

const SWEEP_INTERVAL_MS = 60_000;
const BATCH = 100;
/** Retry delay after the n-th failure: 1 min, 2, 4 … capped at 6 h. */
const backoffSeconds = (attempts: number) => Math.min(6 * 3600, 60 * 2 ** Math.max(0, attempts - 1));

/**
 * Storage objects whose database rows are gone and which must be removed: an outbox in
 * Postgres (`storage_garbage`), written in the transaction that deletes the rows. Removal
 * is tried at once and, when it fails (storage down, process killed), again by a sweeper
 * in every process, with backoff, until it succeeds.
 */
@Injectable()
export class StorageGarbage implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StorageGarbage.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AUDIO_STORAGE) private readonly storage: AudioStorage,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Adds keys to the outbox inside the caller's transaction. */
  async enqueue(manager: EntityManager, keys: string[]): Promise<void> {
    if (keys.length) await manager.query(`INSERT INTO storage_garbage (key) SELECT unnest($1::text[]) ON CONFLICT (key) DO NOTHING`, [keys]);
  }

  /** Objects that belong to no row (e.g. made for a row deleted meanwhile): outbox, then removal. */
  async discard(keys: string[]): Promise<void> {
    await this.enqueue(this.dataSource.manager, keys);
    await this.collect(keys);
  }

  /** Removes the objects now; failures stay in the outbox for the sweeper. */
  async collect(keys: string[]): Promise<void> {
    for (const key of keys) {
      try {
        await this.storage.delete(key);
        await this.dataSource.query(`DELETE FROM storage_garbage WHERE key = $1`, [key]);
      } catch (error) {
        const message = (error as Error).message;
        this.logger.warn(`could not remove ${key} from storage (will retry): ${message}`);
        await this.dataSource
          .query(
            `UPDATE storage_garbage SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3) WHERE key = $1`,
            [key, message.slice(0, 500), backoffSeconds(1)],
          )
          .catch(() => undefined);
      }
    }
  }

  /** One pass over the due entries; processes share the work (SKIP LOCKED). */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((error: unknown) => this.logger.warn(`storage garbage sweep failed: ${(error as Error).message}`))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const due = (await manager.query(`SELECT key, attempts FROM storage_garbage WHERE next_attempt_at <= now() ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`)) as {
        key: string;
        attempts: number;
      }[];
      for (const { key, attempts } of due) {
        try {
          await this.storage.delete(key);
          await manager.query(`DELETE FROM storage_garbage WHERE key = $1`, [key]);
        } catch (error) {
          const message = (error as Error).message;
          this.logger.warn(`could not remove ${key} from storage (attempt ${attempts + 1}): ${message}`);
          await manager.query(`UPDATE storage_garbage SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3) WHERE key = $1`, [
            key,
            message.slice(0, 500),
            backoffSeconds(attempts + 1),
          ]);
        }
      }
    });
  }
}
