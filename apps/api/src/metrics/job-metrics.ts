import type { Counter, Gauge, Histogram } from 'prom-client';
import type { GenerationRepository } from '../generations/generation.repository';
import type { StorageGarbageRepository } from '../storage/storage-garbage.repository';
import type { TrackRepository } from '../tracks/track.repository';

/** Rows newer than this are left for the next scrape: their transaction may not be visible yet. */
export const SETTLE_SECONDS = 10;
const PAGE = 5000;

export interface JobMetricSinks {
  jobs: Gauge<'status' | 'engine'>;
  duration: Histogram<'engine' | 'status'>;
  wait: Histogram<'engine'>;
  errors: Counter<'engine' | 'code'>;
  spaceLatency: Histogram<'engine' | 'phase'>;
  garbage: Gauge;
}

/** The tables the metrics are read from. */
export interface JobMetricSources {
  generations: GenerationRepository;
  tracks: TrackRepository;
  garbage: StorageGarbageRepository;
}

/**
 * The job metrics, read from Postgres at scrape time (the generations table is the
 * source of truth, whichever worker ran a job):
 * - gauges (jobs by status and engine, storage objects waiting for removal) are counted
 *   anew at each scrape;
 * - histograms and counters (durations, engine errors, Space latency) take in the jobs
 *   that finished since the previous scrape, found by a keyset on (finished_at, id), so
 *   each job is counted once per process; like any counter they start at zero with the
 *   process.
 */
export class JobMetrics {
  /** keyset position: (finished_at as text, id) of the last job taken in */
  private after?: { finishedAt: string; id: string };
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly sources: JobMetricSources,
    private readonly sinks: JobMetricSinks,
  ) {}

  /** Scrapes run one at a time (two scrapes must not take the same jobs in twice). */
  refresh(): Promise<void> {
    const run = this.pending.then(() => this.refreshOnce());
    this.pending = run.catch(() => undefined);
    return run;
  }

  private async refreshOnce(): Promise<void> {
    await Promise.all([this.countJobs(), this.countGarbage(), this.takeInFinished()]);
  }

  private async countJobs(): Promise<void> {
    const rows = await this.sources.generations.countByStatusAndEngine();
    this.sinks.jobs.reset();
    for (const row of rows) this.sinks.jobs.set({ status: row.status, engine: row.engine }, row.n);
  }

  private async countGarbage(): Promise<void> {
    this.sinks.garbage.set(await this.sources.garbage.count());
  }

  private async takeInFinished(): Promise<void> {
    if (!this.after) {
      // First scrape of this process: count from now on.
      this.after = { finishedAt: await this.sources.generations.finishedKeysetAgo(SETTLE_SECONDS), id: '00000000-0000-0000-0000-000000000000' };
      return;
    }
    for (;;) {
      const rows = await this.sources.generations.finishedAfter(this.after, SETTLE_SECONDS, PAGE);
      for (const row of rows) {
        if (row.runSeconds !== null && row.runSeconds >= 0) this.sinks.duration.observe({ engine: row.engine, status: row.status }, row.runSeconds);
        if (row.waitSeconds !== null && row.waitSeconds >= 0) this.sinks.wait.observe({ engine: row.engine }, row.waitSeconds);
        if (row.status === 'failed') this.sinks.errors.inc({ engine: row.engine, code: row.errorCode ?? 'unknown' });
      }
      await this.takeInSpaceTimings(rows.filter((r) => r.status === 'succeeded').map((r) => r.id));
      if (rows.length) this.after = { finishedAt: rows[rows.length - 1].finishedAt, id: rows[rows.length - 1].id };
      if (rows.length < PAGE) return;
    }
  }

  /** Latency of a Space (queue wait, its own processing, submit to result) for each take it rendered. */
  private async takeInSpaceTimings(generationIds: string[]): Promise<void> {
    if (!generationIds.length) return;
    const rows = await this.sources.tracks.spaceTimings(generationIds);
    for (const row of rows) {
      for (const [phase, ms] of [
        ['queue', row.queueMs],
        ['processing', row.processingMs],
        ['total', row.totalMs],
      ] as const) {
        if (ms !== null && ms >= 0) this.sinks.spaceLatency.observe({ engine: row.engine, phase }, ms / 1000);
      }
    }
  }
}
