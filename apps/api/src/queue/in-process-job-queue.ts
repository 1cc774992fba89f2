import { Logger } from '@nestjs/common';
import { backoffDelay, PermanentJobError, type JobHandler, type JobQueue, type QueueCounts, type RetryPolicy } from './job-queue';

/**
 * The embedded default (no Redis): a FIFO in this process with the same semantics as
 * the Bull driver — concurrency, retries with exponential backoff, no retry for
 * permanent errors, duplicate adds ignored. Jobs live in Postgres, so what this queue
 * held when the process stopped is resumed from there at the next start.
 */
export class InProcessJobQueue implements JobQueue {
  readonly driver = 'in-process' as const;
  private readonly logger = new Logger('InProcessJobQueue');
  private readonly waiting: { id: string; attempt: number }[] = [];
  private readonly known = new Set<string>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private readonly active = new Map<string, Promise<void>>();
  private handler?: JobHandler;
  private concurrency = 1;
  private closed = false;

  constructor(private readonly policy: RetryPolicy) {}

  async enqueue(id: string): Promise<void> {
    if (this.closed || this.known.has(id)) return;
    this.known.add(id);
    this.waiting.push({ id, attempt: 1 });
    this.pump();
  }

  async remove(id: string): Promise<void> {
    const index = this.waiting.findIndex((job) => job.id === id);
    if (index >= 0) this.waiting.splice(index, 1);
    const timer = this.delayed.get(id);
    if (timer) clearTimeout(timer);
    this.delayed.delete(id);
    if (!this.active.has(id)) this.known.delete(id);
  }

  process(handler: JobHandler, concurrency: number): void {
    this.handler = handler;
    this.concurrency = Math.max(1, concurrency);
    this.pump();
  }

  async counts(): Promise<QueueCounts> {
    return { waiting: this.waiting.length, active: this.active.size, delayed: this.delayed.size };
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the queue is closed');
  }

  async close(graceMs = 0): Promise<void> {
    this.closed = true;
    for (const timer of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.waiting.length = 0;
    if (this.active.size) {
      await Promise.race([Promise.allSettled([...this.active.values()]), new Promise((r) => setTimeout(r, graceMs).unref())]);
    }
  }

  private pump(): void {
    while (this.handler && !this.closed && this.active.size < this.concurrency && this.waiting.length) {
      const job = this.waiting.shift()!;
      this.active.set(job.id, this.run(this.handler, job.id, job.attempt));
    }
  }

  private async run(handler: JobHandler, id: string, attempt: number): Promise<void> {
    try {
      await handler({ id, attempt, maxAttempts: this.policy.maxAttempts });
      this.known.delete(id);
    } catch (error) {
      if (!(error instanceof PermanentJobError) && attempt < this.policy.maxAttempts && !this.closed) {
        const delay = backoffDelay(this.policy, attempt);
        this.logger.warn(`job ${id} attempt ${attempt} failed (${(error as Error).message}); retrying in ${delay} ms`);
        this.delayed.set(
          id,
          setTimeout(() => {
            this.delayed.delete(id);
            this.waiting.push({ id, attempt: attempt + 1 });
            this.pump();
          }, delay),
        );
      } else {
        this.logger.error(`job ${id} failed for good after attempt ${attempt}: ${(error as Error).message}`);
        this.known.delete(id);
      }
    } finally {
      this.active.delete(id);
      this.pump();
    }
  }
}
