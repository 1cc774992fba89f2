import type { Counter, Gauge, Histogram } from 'prom-client';
import type { DataSource } from 'typeorm';

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

interface FinishedRow {
  id: string;
  engine: string;
  status: string;
  error_code: string | null;
  run_s: number | null;
  wait_s: number | null;
  finished_at: string;
}

interface TimingRow {
  engine: string;
  queue_ms: number | null;
  processing_ms: number | null;
  total_ms: number | null;
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
    private readonly dataSource: DataSource,
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
    const rows: { status: string; engine: string; n: number }[] = await this.dataSource.query(
      `SELECT status, coalesce(engine, '') AS engine, count(*)::int AS n FROM generations GROUP BY 1, 2`,
    );
    this.sinks.jobs.reset();
    for (const row of rows) this.sinks.jobs.set({ status: row.status, engine: row.engine }, row.n);
  }

  private async countGarbage(): Promise<void> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM storage_garbage`)) as { n: number }[];
    this.sinks.garbage.set(row?.n ?? 0);
  }

  private async takeInFinished(): Promise<void> {
    if (!this.after) {
      // First scrape of this process: count from now on.
      const [row] = (await this.dataSource.query(`SELECT (now() - make_interval(secs => $1))::text AS at`, [SETTLE_SECONDS])) as { at: string }[];
      this.after = { finishedAt: row.at, id: '00000000-0000-0000-0000-000000000000' };
      return;
    }
    for (;;) {
      const rows: FinishedRow[] = await this.dataSource.query(
        `SELECT id, coalesce(engine, '') AS engine, status, error_code, finished_at::text AS finished_at,
                extract(epoch FROM finished_at - started_at)::float8 AS run_s,
                extract(epoch FROM started_at - created_at)::float8 AS wait_s
         FROM generations
         WHERE finished_at IS NOT NULL AND (finished_at, id) > ($1::timestamptz, $2::uuid) AND finished_at <= now() - make_interval(secs => $3)
         ORDER BY finished_at, id LIMIT ${PAGE}`,
        [this.after.finishedAt, this.after.id, SETTLE_SECONDS],
      );
      for (const row of rows) {
        if (row.run_s !== null && row.run_s >= 0) this.sinks.duration.observe({ engine: row.engine, status: row.status }, row.run_s);
        if (row.wait_s !== null && row.wait_s >= 0) this.sinks.wait.observe({ engine: row.engine }, row.wait_s);
        if (row.status === 'failed') this.sinks.errors.inc({ engine: row.engine, code: row.error_code ?? 'unknown' });
      }
      await this.takeInSpaceTimings(rows.filter((r) => r.status === 'succeeded').map((r) => r.id));
      if (rows.length) this.after = { finishedAt: rows[rows.length - 1].finished_at, id: rows[rows.length - 1].id };
      if (rows.length < PAGE) return;
    }
  }

  /** Latency of a Space (queue wait, its own processing, submit to result) for each take it rendered. */
  private async takeInSpaceTimings(generationIds: string[]): Promise<void> {
    if (!generationIds.length) return;
    const rows: TimingRow[] = await this.dataSource.query(
      `SELECT engine,
              (engine_meta #>> '{queue,waited_ms}')::float8 AS queue_ms,
              (engine_meta #>> '{timings_ms,space_processing}')::float8 AS processing_ms,
              (engine_meta #>> '{timings_ms,submit_to_result}')::float8 AS total_ms
       FROM tracks WHERE generation_id = ANY($1::uuid[]) AND engine_meta ? 'timings_ms'`,
      [generationIds],
    );
    for (const row of rows) {
      for (const [phase, ms] of [
        ['queue', row.queue_ms],
        ['processing', row.processing_ms],
        ['total', row.total_ms],
      ] as const) {
        if (ms !== null && ms >= 0) this.sinks.spaceLatency.observe({ engine: row.engine, phase }, ms / 1000);
      }
    }
  }
}
