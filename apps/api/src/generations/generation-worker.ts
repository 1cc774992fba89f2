import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { migrationsApplied } from '../database/migrate';
import { Sql } from '../database/sql';
import { JOB_QUEUE, type JobQueue } from '../queue/job-queue';
import { GenerationEvents } from './generation-events';
import { GenerationRunner } from './generation-runner';
import { GenerationRepository } from './generation.repository';

/** How often queued rows that the queue may have lost (Redis flushed, enqueue failed) are offered again, */
const ORPHAN_SWEEP_MS = 30_000;
/** those unchanged for this long, at most ORPHAN_BATCH at a time. */
const ORPHAN_IDLE_SECONDS = 30;
const ORPHAN_BATCH = 1000;

/**
 * The worker role: consumes the queue with WORKER_CONCURRENCY handlers, forwards cancel
 * requests to running jobs, and sweeps the table so no job is left behind — a running
 * row whose worker stopped heartbeating is retried (or failed once out of attempts), a
 * queued row the queue does not hold is enqueued again. On shutdown it stops taking
 * jobs, lets running ones finish within SHUTDOWN_GRACE_SECONDS, then hands the rest back.
 */
@Injectable()
export class GenerationWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('GenerationWorker');
  private sweepTimer?: NodeJS.Timeout;
  private lastOrphanSweep = 0;
  private unsubscribeCancel?: () => void;
  private started = false;
  private stopping = false;
  private startup?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly generations: GenerationRepository,
    private readonly sql: Sql,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: GenerationRunner,
    private readonly events: GenerationEvents,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.started = true;
    // Migrations belong to the API role: a worker that starts first waits for them.
    this.startup = this.waitForMigrations().then(() => this.start());
    this.startup.catch((error: Error) => !this.stopping && this.logger.error(`the worker could not start: ${error.message}`));
  }

  private async waitForMigrations(): Promise<void> {
    const applied = await migrationsApplied(this.dataSource, () => this.stopping, () => this.logger.log('waiting for the API to apply the database migrations'));
    if (!applied) throw new Error('shutting down');
  }

  private async start(): Promise<void> {
    if (this.stopping) return;
    this.unsubscribeCancel = await this.events.onCancelRequest((id) => this.runner.stop(id, 'cancel'));
    if (this.queue.driver === 'in-process') await this.resumeAfterRestart();
    this.queue.process((job) => this.runner.handle(job), this.config.queue.concurrency);
    const interval = Math.max(1000, (this.config.queue.lockSeconds * 1000) / 2);
    this.sweepTimer = setInterval(() => void this.sweep().catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`)), interval);
    this.sweepTimer.unref();
    this.logger.log(`worker ${this.runner.workerId} processing with concurrency ${this.config.queue.concurrency} (${this.queue.driver} queue)`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    await this.startup?.catch(() => undefined);
    clearInterval(this.sweepTimer);
    this.unsubscribeCancel?.();
    const graceMs = this.config.queue.shutdownGraceSeconds * 1000;
    const closing = this.queue.close(graceMs);
    // Whatever is still running after the grace is handed back to the queue.
    const release = setTimeout(() => this.runner.activeJobIds.forEach((id) => this.runner.stop(id, 'shutdown')), graceMs);
    await closing;
    clearTimeout(release);
    this.runner.activeJobIds.forEach((id) => this.runner.stop(id, 'shutdown'));
  }

  /**
   * Embedded mode has a single process, so whatever it left `running` died with it:
   * hand those back, then enqueue every queued job in order.
   */
  private async resumeAfterRestart(): Promise<void> {
    await this.generations.requeue({ kind: 'restart' });
    const queued = await this.generations.queuedIds();
    for (const id of queued) await this.queue.enqueue(id);
    if (queued.length) this.logger.log(`resumed ${queued.length} unfinished job(s) from the previous run`);
  }

  /** Recovers jobs whose worker died, and queued jobs the queue lost. Safe to run in every worker at once. */
  async sweep(): Promise<void> {
    const lease = this.config.queue.lockSeconds;
    const failed = await this.sql.transaction(async (tx) => {
      const jobs = await this.generations.failInterrupted(lease, this.config.queue.maxAttempts, tx);
      for (const job of jobs) await this.runner.recordFinished(job, tx);
      return jobs;
    });
    const stale = await this.generations.requeue({ kind: 'lost', leaseSeconds: lease });
    for (const { id } of failed) {
      this.logger.warn(`job ${id} failed: its worker stopped too many times`);
      await this.runner.announce(id);
    }
    for (const { id } of stale) {
      this.logger.warn(`job ${id} lost its worker; queued again`);
      await this.queue.enqueue(id);
    }
    if (Date.now() - this.lastOrphanSweep >= ORPHAN_SWEEP_MS) {
      this.lastOrphanSweep = Date.now();
      const orphans = await this.generations.queuedIds({ idleSeconds: ORPHAN_IDLE_SECONDS, limit: ORPHAN_BATCH });
      for (const id of orphans) await this.queue.enqueue(id);
    }
  }
}
