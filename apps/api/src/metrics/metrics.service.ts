import { Inject, Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { withTimeout } from '../common/timeout';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { GenerationRepository } from '../generations/generation.repository';
import { JOB_QUEUE, type JobQueue } from '../queue/job-queue';
import { StorageGarbageRepository } from '../storage/storage-garbage.repository';
import { TrackRepository } from '../tracks/track.repository';
import { JobMetrics } from './job-metrics';

const COLLECT_TIMEOUT_MS = 5000;

/**
 * The Prometheus registry of one application: process and HTTP metrics kept in memory,
 * job and queue metrics read at scrape time. One registry per application (not
 * prom-client's global one), so several applications in one process stay apart.
 */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger('Metrics');
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly queueJobs: Gauge<'state'>;
  private readonly collectErrors: Counter<'source'>;
  private readonly jobs: JobMetrics;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    generations: GenerationRepository,
    tracks: TrackRepository,
    garbage: StorageGarbageRepository,
  ) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ role: config.role });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'texttune_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status (streams and SSE count until they end)',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.queueJobs = new Gauge({ name: 'texttune_queue_jobs', help: 'Jobs in the job queue by state (Redis/Bull in scaled mode)', labelNames: ['state'], registers });
    this.collectErrors = new Counter({ name: 'texttune_metrics_collect_errors_total', help: 'Scrapes that could not read a source (database, queue)', labelNames: ['source'], registers });
    this.jobs = new JobMetrics({ generations, tracks, garbage }, {
      jobs: new Gauge({ name: 'texttune_jobs', help: 'Generation jobs by status and engine (all time, from the database)', labelNames: ['status', 'engine'], registers }),
      duration: new Histogram({
        name: 'texttune_job_duration_seconds',
        help: 'Time from a job starting to run to its end (all takes, retries included), by engine and final status',
        labelNames: ['engine', 'status'],
        buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
        registers,
      }),
      wait: new Histogram({
        name: 'texttune_job_queue_wait_seconds',
        help: 'Time a job waited in the queue before a worker started it, by engine',
        labelNames: ['engine'],
        buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
        registers,
      }),
      errors: new Counter({ name: 'texttune_engine_errors_total', help: 'Failed jobs by engine and error code', labelNames: ['engine', 'code'], registers }),
      spaceLatency: new Histogram({
        name: 'texttune_space_latency_seconds',
        help: "Latency of a Gradio Space per take: queue (waiting in the Space's queue), processing (the Space's own work), total (submit to result)",
        labelNames: ['engine', 'phase'],
        buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
        registers,
      }),
      garbage: new Gauge({ name: 'texttune_storage_garbage_pending', help: 'Storage objects of deleted tracks still waiting for removal (retried with backoff)', registers }),
    });
  }

  /** The exposition text, after reading the scrape-time sources (a failing source is counted, not fatal). */
  async render(): Promise<string> {
    await Promise.all([
      withTimeout(this.jobs.refresh(), COLLECT_TIMEOUT_MS).catch((error: Error) => this.failed('database', error)),
      withTimeout(this.queue.counts(), COLLECT_TIMEOUT_MS)
        .then((counts) => {
          for (const [state, n] of Object.entries(counts)) this.queueJobs.set({ state }, n);
        })
        .catch((error: Error) => this.failed('queue', error)),
    ]);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private failed(source: string, error: Error): void {
    this.collectErrors.inc({ source });
    this.logger.warn(`metrics: could not read the ${source}: ${error.message}`);
  }
}
