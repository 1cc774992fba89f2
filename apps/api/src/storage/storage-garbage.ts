import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Sql } from '../database/sql';
import { AUDIO_STORAGE, type AudioStorage } from './audio-storage';
import { StorageGarbageRepository } from './storage-garbage.repository';

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
    private readonly outbox: StorageGarbageRepository,
    private readonly sql: Sql,
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
  async enqueue(keys: string[], tx?: Sql): Promise<void> {
    await this.outbox.add(keys, tx);
  }

  /** Objects that belong to no row (e.g. made for a row deleted meanwhile): outbox, then removal. */
  async discard(keys: string[]): Promise<void> {
    await this.enqueue(keys);
    await this.collect(keys);
  }

  /** Removes the objects now; failures stay in the outbox for the sweeper. */
  async collect(keys: string[]): Promise<void> {
    for (const key of keys) {
      try {
        await this.storage.delete(key);
        await this.outbox.remove(key);
      } catch (error) {
        const message = (error as Error).message;
        this.logger.warn(`could not remove ${key} from storage (will retry): ${message}`);
        await this.outbox.postpone(key, message, backoffSeconds(1)).catch(() => undefined);
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
    await this.sql.transaction(async (tx) => {
      const due = await this.outbox.lockDue(BATCH, tx);
      for (const { key, attempts } of due) {
        try {
          await this.storage.delete(key);
          await this.outbox.remove(key, tx);
        } catch (error) {
          const message = (error as Error).message;
          this.logger.warn(`could not remove ${key} from storage (attempt ${attempts + 1}): ${message}`);
          await this.outbox.postpone(key, message, backoffSeconds(attempts + 1), tx);
        }
      }
    });
  }
}
