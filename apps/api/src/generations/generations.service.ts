import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DEFAULT_DURATION_SECONDS,
  DEFAULT_SAMPLE_RATE,
  FINISHED_STATUSES,
  SEED_MAX,
  type GenerationListResponse,
  type GenerationParams,
  type GenerationResponse,
  type GenerationStatus,
  type GenerationWebhookData,
} from '@texttune/contracts';
import { randomInt } from 'node:crypto';
import type { AuthUser } from '../auth/auth-user';
import { ApiError } from '../common/api-error';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { isUuid } from '../common/uuid';
import { withTimeout } from '../common/timeout';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Sql } from '../database/sql';
import { EngineRegistry } from '../engines/engine-registry';
import { JOB_QUEUE, type JobQueue } from '../queue/job-queue';
import { ReferencesService } from '../references/references.service';
import { TracksService } from '../tracks/tracks.service';
import { generationLimitsFor } from '../users/quota';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import type { CreateGenerationDto } from './dto';
import type { GenerationEntity } from './generation.entity';
import { GenerationEvents } from './generation-events';
import { GenerationRepository } from './generation.repository';
import { toGenerationResponse } from './generation-response';
import { queuedEtaSeconds, renderSeconds, runningEtaSeconds, toRenderRates, type RenderRates } from './render-estimates';

const NOT_FOUND = () => new ApiError(404, 'not_found', 'There is no such generation in your account.');
const QUEUE_FULL_RETRY_SECONDS = 30;
/** Redis down must not hold the request: the row is durable and the sweeper enqueues it later. */
const ENQUEUE_TIMEOUT_MS = 2000;
/** How long cancel waits for the worker to confirm (its heartbeat also notices within a second). */
const CANCEL_CONFIRM_MS = 3000;
/** Render times are measured over each engine and quality's last this many successful jobs, */
const RATE_SAMPLE = 20;
/** and measured again at most this often (one grouped statement). */
const RATE_REFRESH_MS = 2_000;

/** Creating, reading and canceling generation jobs (the API side of the pipeline). */
@Injectable()
export class GenerationsService {
  private readonly logger = new Logger('Generations');
  private rates: { value: RenderRates; at: number } = { value: toRenderRates([]), at: 0 };

  constructor(
    private readonly generations: GenerationRepository,
    private readonly sql: Sql,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly engines: EngineRegistry,
    private readonly tracks: TracksService,
    private readonly events: GenerationEvents,
    private readonly references: ReferencesService,
    private readonly webhooks: WebhookOutbox,
  ) {}

  /** Validates against the server's limits, writes the row (`queued`), then enqueues its id. */
  async create(user: AuthUser, dto: CreateGenerationDto): Promise<GenerationResponse> {
    const limits = generationLimitsFor(this.config, user);
    const blocked = limits.promptBlocklist.find((pattern) => pattern.test(dto.prompt));
    if (blocked) throw new ApiError(400, 'prompt_blocked', 'This prompt is not allowed by the server\u2019s content policy; rephrase it.');

    const engine = this.engines.resolve(dto.engine);
    const description = await engine.describe();
    if (!description.ready) throw new ApiError(503, 'engine_not_ready', `The engine "${engine.id}" is not ready: ${description.reason ?? 'unknown reason'}.`, { engine: engine.id }, { 'Retry-After': '30' });

    // The server's cap (MAX_DURATION_SECONDS, per user where set) over the engine's own maximum.
    const engineMax = description.supports.maxDurationSeconds;
    const maxDuration = engineMax !== null && engineMax < limits.maxDurationSeconds ? engineMax : limits.maxDurationSeconds;
    const duration = dto.duration ?? Math.min(DEFAULT_DURATION_SECONDS, maxDuration);
    if (duration > maxDuration) {
      const which = maxDuration === engineMax ? `the engine "${engine.id}"` : 'this server';
      throw new ApiError(400, 'duration_too_long', `duration must be at most ${maxDuration} seconds on ${which}; ask for a shorter piece.`, { max: maxDuration, engine: engine.id });
    }
    if (dto.loop && !description.supports.loop) {
      throw new ApiError(400, 'loop_unsupported', `The engine "${engine.id}" cannot render seamless loops; choose an engine whose supports.loop is true (e.g. offline), or leave loop out.`, { engine: engine.id });
    }

    if (dto.reference_id !== undefined) {
      if (!description.supports.referenceAudio) {
        throw new ApiError(400, 'reference_not_supported', `The engine "${engine.id}" cannot use reference audio; choose an engine that accepts it, or leave the reference out.`, { engine: engine.id });
      }
      await this.references.findOwned(user.id, dto.reference_id); // 404 when not this user's
    }

    const params: GenerationParams = {
      duration,
      samplerate: dto.samplerate ?? DEFAULT_SAMPLE_RATE,
      seed: dto.seed ?? randomInt(0, SEED_MAX + 1),
      quality: dto.quality ?? 'draft',
      variations: dto.variations ?? 1,
      sampling: { ...dto.params },
      ...(dto.reference_id !== undefined ? { reference_id: dto.reference_id } : {}),
      ...(dto.loop ? { loop: true } : {}),
    };
    const requestedSeconds = params.duration * params.variations;

    const { job: row, usage } = await this.generations.admit({
      userId: user.id,
      prompt: dto.prompt,
      params,
      engine: engine.id,
      requestedSeconds,
      maxActiveJobs: limits.maxActiveJobsPerUser,
      maxQueueLength: limits.maxQueueLength,
      dailySecondsQuota: limits.dailySecondsQuota,
    });
    if (!row) {
      const { active, queued, today } = usage;
      if (active >= limits.maxActiveJobsPerUser) {
        throw new ApiError(429, 'too_many_active_jobs', `You already have ${active} unfinished generations (the limit is ${limits.maxActiveJobsPerUser}); wait for one to finish or cancel one.`, { limit: limits.maxActiveJobsPerUser });
      }
      if (queued >= limits.maxQueueLength) {
        throw new ApiError(503, 'queue_full', 'The generation queue is full right now; try again in a minute.', { retry_after_seconds: QUEUE_FULL_RETRY_SECONDS }, { 'Retry-After': String(QUEUE_FULL_RETRY_SECONDS) });
      }
      if (limits.dailySecondsQuota > 0 && today + requestedSeconds > limits.dailySecondsQuota) {
        const resetsAt = new Date();
        resetsAt.setUTCHours(24, 0, 0, 0);
        const hours = Math.max(1, Math.ceil((resetsAt.getTime() - Date.now()) / 3600_000));
        throw new ApiError(
          429,
          'quota_exceeded',
          `This would take you past your daily quota of ${limits.dailySecondsQuota} seconds of audio (${Math.round(today)} used today); it resets at 00:00 UTC, in about ${hours} hour${hours === 1 ? '' : 's'}.`,
          { quota_seconds: limits.dailySecondsQuota, used_seconds: today, requested_seconds: requestedSeconds, resets_at: resetsAt.toISOString() },
          { 'Retry-After': String(Math.ceil((resetsAt.getTime() - Date.now()) / 1000)) },
        );
      }
      throw new Error(`admission refused without a reason (active ${active}, queued ${queued}, today ${today})`);
    }

    try {
      await withTimeout(this.queue.enqueue(row.id, { fresh: true }), ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      // The row is durable; the sweeper enqueues queued rows the queue does not hold.
      this.logger.warn(`could not enqueue ${row.id} now (${(error as Error).message}); it will be picked up when the queue is back`);
    }
    // Queued, so no tracks; the position was counted by the statement that wrote the row.
    const [estimate, rates] = await Promise.all([this.queueEstimate(row), this.renderRates()]);
    return toGenerationResponse(row, {
      queuePosition: usage.position,
      etaSeconds: estimate.etaSeconds,
      renderSeconds: Math.round(renderSeconds(rates, { engine: row.engine, quality: row.params.quality ?? null }, row.requestedSeconds)),
    });
  }

  async get(user: AuthUser, id: string): Promise<GenerationResponse> {
    return this.toResponse(await this.findOwned(user, id));
  }

  /** The row if it belongs to the user; 404 otherwise (no existence leak). */
  async findOwned(user: Pick<AuthUser, 'id'>, id: string): Promise<GenerationEntity> {
    const row = isUuid(id) ? await this.generations.findOwned(user.id, id) : null;
    if (!row) throw NOT_FOUND();
    return row;
  }

  async list(user: AuthUser, limit = 20, cursor?: string, statuses?: readonly GenerationStatus[]): Promise<GenerationListResponse> {
    const after = decodeCursor(cursor);
    const rows = await this.generations.page({ userId: user.id, statuses, after, limit });
    const page = rows.slice(0, limit);
    return { items: await this.toResponses(page), next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
  }

  /**
   * Queued: canceled at once. Running: the worker is told (its engine gets an abort
   * signal) and this waits briefly for it to confirm. Idempotent; 409 when finished.
   */
  async cancel(user: AuthUser, id: string): Promise<GenerationResponse> {
    const row = await this.findOwned(user, id);
    const canceled = await this.sql.transaction(async (tx) => {
      const job = await this.generations.cancel(row.id, tx);
      if (!job) return null;
      const event: GenerationWebhookData = { job: toGenerationResponse(job), tracks: [] };
      await this.webhooks.record(tx, job.userId, 'generation.canceled', event, job.finishedAt ?? undefined);
      return job;
    });
    if (canceled) {
      await this.queue.remove(row.id).catch(() => undefined);
      const job = await this.get(user, id);
      await this.events.publish({ type: 'status', job });
      return job;
    }
    const current = await this.findOwned(user, id);
    if (current.status === 'canceled') return this.toResponse(current);
    if (current.status !== 'running') {
      throw new ApiError(409, 'already_finished', `This generation has already ${current.status === 'succeeded' ? 'succeeded' : 'failed'}; there is nothing to cancel.`, { status: current.status });
    }
    await this.generations.requestCancel(row.id);
    // Listen first, then ask: the worker's confirmation cannot slip past us.
    let confirmed!: () => void;
    const finished = new Promise<void>((resolve) => (confirmed = resolve));
    const unsubscribe = await this.events.subscribe(row.id, (change) => FINISHED_STATUSES.includes(change.job.status) && confirmed());
    try {
      await this.events.requestCancel(row.id);
      await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, CANCEL_CONFIRM_MS).unref())]);
    } finally {
      unsubscribe();
    }
    return this.get(user, id);
  }

  /** 1-based place among queued jobs (first come, first served), or null when not queued. */
  async positionOf(row: Pick<GenerationEntity, 'id' | 'status' | 'createdAt'>): Promise<number | null> {
    if (row.status !== 'queued') return null;
    return this.generations.positionOf(row);
  }

  /**
   * Run time against seconds of audio, per engine and quality, over each pair's last
   * RATE_SAMPLE successful jobs of the last day; measured again at most every RATE_REFRESH_MS.
   */
  private async renderRates(): Promise<RenderRates> {
    if (Date.now() - this.rates.at > RATE_REFRESH_MS) {
      const rows = await this.generations.measuredKinds(RATE_SAMPLE);
      this.rates = { value: toRenderRates(rows), at: Date.now() };
    }
    return this.rates.value;
  }

  /** Place in the queue and seconds until done, for a queued job. */
  private async queueEstimate(row: Pick<GenerationEntity, 'id' | 'createdAt'>): Promise<{ position: number; etaSeconds: number }> {
    const [rates, queued, running] = await Promise.all([
      this.renderRates(),
      this.generations.queuedWorkThrough(row),
      this.generations.runningWork(),
    ]);
    const position = Math.max(1, queued.reduce((sum, group) => sum + group.jobs, 0));
    return { position, etaSeconds: Math.round(queuedEtaSeconds(rates, queued, running, this.config.queue.concurrency)) };
  }

  async toResponse(row: GenerationEntity): Promise<GenerationResponse> {
    return (await this.toResponses([row]))[0];
  }

  async toResponses(rows: GenerationEntity[]): Promise<GenerationResponse[]> {
    const succeeded = rows.filter((r) => r.status === 'succeeded').map((r) => r.id);
    const trackIds = await this.tracks.idsByGeneration(succeeded);
    const rates = rows.some((r) => !FINISHED_STATUSES.includes(r.status)) ? await this.renderRates() : null;
    return Promise.all(
      rows.map(async (row) => {
        if (!rates || FINISHED_STATUSES.includes(row.status)) return toGenerationResponse(row, { trackIds: trackIds.get(row.id) });
        const kind = { engine: row.engine, quality: row.params.quality ?? null };
        const renderSecondsEstimate = Math.round(renderSeconds(rates, kind, row.requestedSeconds));
        if (row.status === 'queued') {
          const { position, etaSeconds } = await this.queueEstimate(row);
          return toGenerationResponse(row, { queuePosition: position, etaSeconds, renderSeconds: renderSecondsEstimate });
        }
        // A Space reports its own ETA while running; otherwise the measured rate tells it.
        const etaSeconds =
          row.status === 'running' && row.etaSeconds === null && row.startedAt
            ? Math.round(runningEtaSeconds(rates, { ...kind, seconds: row.requestedSeconds, elapsedSeconds: (Date.now() - row.startedAt.getTime()) / 1000 }))
            : undefined;
        return toGenerationResponse(row, { etaSeconds, renderSeconds: renderSecondsEstimate });
      }),
    );
  }
}
