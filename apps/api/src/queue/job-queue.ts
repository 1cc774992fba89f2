export interface EnqueueOptions {
  /**
   * The caller guarantees the id was never enqueued before (a row it has just inserted),
   * so the driver may skip looking for an earlier job under the same id.
   */
  fresh?: boolean;
}

/** A delivery of a job to a handler. */
export interface QueueJob {
  /** the generation id */
  id: string;
  /** 1-based attempt number of this delivery */
  attempt: number;
  maxAttempts: number;
}

/**
 * Process a job. Resolve when the job is finished (whatever its outcome was recorded as).
 * Throw to have the job retried with exponential backoff while attempts remain; throw a
 * {@link PermanentJobError} when a retry cannot help.
 */
export type JobHandler = (job: QueueJob) => Promise<void>;

/** A failure no retry can fix: the driver drops the job (Bull: `job.discard()`). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export type QueueCounts = {
  waiting: number;
  active: number;
  delayed: number;
};

/**
 * The port between the API (which enqueues ids of rows it has written) and workers.
 * Delivery is at least once; the handler makes processing exactly-once with an atomic
 * claim on the row. Both drivers pass the same contract suite (queue.contract.ts).
 */
export interface JobQueue {
  readonly driver: 'bull' | 'in-process';
  /** Adds a job; adding an id that is already waiting or running is a no-op. */
  enqueue(id: string, options?: EnqueueOptions): Promise<void>;
  /** Drops a waiting job (best effort: a delivered job is stopped by its handler instead). */
  remove(id: string): Promise<void>;
  /** Starts consuming with `concurrency` parallel handlers (worker roles only). */
  process(handler: JobHandler, concurrency: number): void;
  counts(): Promise<QueueCounts>;
  /** Readiness: throws when the backing store is unreachable. */
  ping(): Promise<void>;
  /** Stops taking new jobs and waits up to `graceMs` for running handlers; then closes. */
  close(graceMs?: number): Promise<void>;
}

export const JOB_QUEUE = Symbol('JOB_QUEUE');

export interface RetryPolicy {
  maxAttempts: number;
  /** first retry delay; doubled at each further attempt */
  backoffMs: number;
}

export const backoffDelay = (policy: RetryPolicy, failedAttempt: number) => policy.backoffMs * 2 ** (failedAttempt - 1);
