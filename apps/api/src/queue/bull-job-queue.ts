import { Logger } from '@nestjs/common';
import type { Job, Queue, QueueOptions } from 'bull';
import { isRedisUnreachable } from '../common/redis-connection';
import { PermanentJobError, type EnqueueOptions, type JobHandler, type JobQueue, type QueueCounts, type RetryPolicy } from './job-queue';
import { RENDER_JOB } from './queue.constants';

export interface BullSettings extends RetryPolicy {
  /** job lock; a worker that stops renewing it (killed) has its job taken back after this */
  lockSeconds: number;
  /** Redis key prefix */
  prefix: string;
}

/** Bull options for the generation queue, shared by the Nest module and the tests. */
export function bullQueueOptions(settings: BullSettings): QueueOptions {
  const lockMs = settings.lockSeconds * 1000;
  return {
    prefix: settings.prefix,
    settings: {
      lockDuration: lockMs,
      lockRenewTime: lockMs / 2,
      // How often stalled jobs (their worker died) are looked for, and how many times
      // one may stall before Bull fails it; the generation row is then recovered by
      // the sweeper from its heartbeat.
      stalledInterval: lockMs,
      maxStalledCount: 2,
    },
    defaultJobOptions: {
      attempts: settings.maxAttempts,
      backoff: { type: 'exponential', delay: settings.backoffMs },
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
    },
  };
}

interface RenderJobData {
  id: string;
}

/**
 * The scaled driver: Bull on Redis, any number of API and worker processes. The job id
 * is the generation id, so a duplicate add of a waiting job is ignored by Bull.
 */
export class BullJobQueue implements JobQueue {
  readonly driver = 'bull' as const;
  private readonly logger = new Logger('BullJobQueue');

  constructor(
    readonly queue: Queue<RenderJobData>,
    private readonly policy: RetryPolicy,
  ) {}

  async enqueue(id: string, options: EnqueueOptions = {}): Promise<void> {
    // A fresh id has no earlier job: one round trip (Bull's add still ignores an id it holds).
    if (options.fresh) {
      await this.queue.add(RENDER_JOB, { id }, { jobId: id });
      return;
    }
    const existing = await this.queue.getJob(id);
    if (existing) {
      // A finished job kept in Redis (a failed one, for inspection) would block re-adding the id.
      const state = await existing.getState();
      if (state !== 'completed' && state !== 'failed') return;
      await existing.remove().catch(() => undefined);
    }
    await this.queue.add(RENDER_JOB, { id }, { jobId: id });
  }

  async remove(id: string): Promise<void> {
    const job = await this.queue.getJob(id);
    // An active (locked) job cannot be removed; its handler sees the cancellation instead.
    await job?.remove().catch(() => undefined);
  }

  process(handler: JobHandler, concurrency: number): void {
    void this.queue.process(RENDER_JOB, concurrency, async (job: Job<RenderJobData>) => {
      try {
        await handler({ id: job.data.id, attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? this.policy.maxAttempts });
      } catch (error) {
        if (error instanceof PermanentJobError) await job.discard();
        throw error;
      }
    });
    // An unreachable Redis is logged once per outage by its connections (redis-connection.ts).
    this.queue.on('error', (error) => {
      if (!isRedisUnreachable(error)) this.logger.error(`queue error: ${error.message}`);
    });
  }

  async counts(): Promise<QueueCounts> {
    const counts = await this.queue.getJobCounts();
    return { waiting: counts.waiting, active: counts.active, delayed: counts.delayed };
  }

  async ping(): Promise<void> {
    await this.queue.client.ping();
  }

  async close(graceMs = 0): Promise<void> {
    // Bull's close stops taking jobs here (other workers carry on) and waits for the
    // running ones; past the grace we stop waiting (their rows are handed back by the
    // worker, or recovered by the sweeper from their heartbeat).
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([this.queue.close(), new Promise((r) => (grace = setTimeout(r, graceMs)))]);
    clearTimeout(grace);
  }
}
