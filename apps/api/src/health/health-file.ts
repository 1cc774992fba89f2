import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseHealthIndicator } from './database.health';
import { EnginesHealthIndicator, QueueHealthIndicator, StorageHealthIndicator } from './dependencies.health';

export const HEALTH_FILE_INTERVAL_MS = 10_000;

/** What the health file holds (read by docker/healthcheck.cjs). */
export interface HealthReport {
  status: 'ok' | 'error';
  role: string;
  pid: number;
  /** ISO time of the check */
  at: string;
  details: HealthIndicatorResult;
}

/**
 * A process without an HTTP server (the worker role) cannot answer /v1/health/ready,
 * so with HEALTH_FILE set it runs the same readiness checks (database migrated, queue /
 * Redis, storage writable, an engine ready) every 10 s and replaces the file with the
 * result. The container healthcheck reads it: a stale file means a stuck process.
 */
@Injectable()
export class HealthFileReporter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Health');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastStatus?: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly database: DatabaseHealthIndicator,
    private readonly queue: QueueHealthIndicator,
    private readonly storage: StorageHealthIndicator,
    private readonly engines: EnginesHealthIndicator,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.healthFile) return;
    void this.report();
    this.timer = setInterval(() => void this.report(), HEALTH_FILE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    // A stopped process is not healthy: leave no report behind that says it is.
    if (this.config.healthFile) await rm(this.config.healthFile, { force: true }).catch(() => undefined);
  }

  /** Runs the checks and replaces the file atomically (a reader never sees half of it). */
  report(): Promise<void> {
    this.running ??= this.write().finally(() => (this.running = undefined));
    return this.running;
  }

  private async write(): Promise<void> {
    const file = this.config.healthFile!;
    const results = await Promise.all([this.database.check(), this.queue.check(), this.storage.check(), this.engines.check()]);
    const details = Object.assign({}, ...results) as HealthIndicatorResult;
    const status = Object.values(details).every((d) => d.status === 'up') ? 'ok' : 'error';
    const report: HealthReport = { status, role: this.config.role, pid: process.pid, at: new Date().toISOString(), details };
    try {
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temp, `${JSON.stringify(report)}\n`);
      await rename(temp, file);
    } catch (error) {
      this.logger.warn(`could not write the health file ${file}: ${(error as Error).message}`);
    }
    if (status !== this.lastStatus) {
      const down = Object.entries(details).filter(([, d]) => d.status !== 'up');
      if (status === 'ok') this.logger.log('healthy: database, queue, storage and engines are usable');
      else this.logger.warn(`not healthy: ${down.map(([name, d]) => `${name} (${describeDown(d)})`).join(', ')}`);
      this.lastStatus = status;
    }
  }
}

/** What a failing indicator says about itself, or `down` when it says nothing readable. */
function describeDown(detail: object): string {
  const message = (detail as { message?: unknown }).message;
  return typeof message === 'string' ? message : 'down';
}
