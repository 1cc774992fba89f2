import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
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
import type { DataSource, Repository } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { ApiError } from '../common/api-error';
import { decodeCursor, encodeCursor, isUuid } from '../common/cursor';
import { withTimeout } from '../common/timeout';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EngineRegistry } from '../engines/engine-registry';
import { JOB_QUEUE, type JobQueue } from '../queue/job-queue';
import { ReferencesService } from '../references/references.service';
import { TracksService } from '../tracks/tracks.service';
import { generationLimitsFor } from '../users/quota';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import type { CreateGenerationDto } from './dto';
import { GenerationEntity } from './generation.entity';
import { GenerationEvents } from './generation-events';
import { toGenerationResponse } from './generation-response';
import { generationFromRow, sqlLiteral } from './generation-rows';
import { generationColumns, PreparedSql, withPoolConnection } from './prepared-sql';
import { queuedEtaSeconds, renderSeconds, runningEtaSeconds, toRenderRates, type MeasuredKind, type QueuedWork, type RenderRates, type RunningWork } from './render-estimates';

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
  private admission?: PreparedSql;

  constructor(
    @InjectRepository(GenerationEntity) private readonly generations: Repository<GenerationEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
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

    const { row, usage } = await this.admit(user, limits, dto.prompt, params, engine.id, requestedSeconds);
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

  /**
   * The admission check and the insert, in one round trip: a two-statement simple query,
   * i.e. one implicit transaction. The first statement locks the user's row, serialising
   * that user's concurrent requests; the second, which takes its snapshot only once it
   * holds the lock (READ COMMITTED: one snapshot per statement), counts the user's
   * unfinished jobs, the queue and today's seconds, inserts the row only if every limit
   * allows it, and counts the queued jobs ahead of it. (The lock and the counts cannot be
   * one statement: its snapshot would predate the lock, missing a request committed while
   * it waited.) Today's seconds are summed only when there is a daily quota. The second
   * statement is prepared once per connection (PreparedSql); bind parameters are not
   * allowed in a multi-statement query, so values are sent as escaped literals (sqlLiteral).
   */
  private async admit(
    user: AuthUser,
    limits: AppConfig['generation'],
    prompt: string,
    params: GenerationParams,
    engineId: string,
    requestedSeconds: number,
  ): Promise<{ row: GenerationEntity | null; usage: { active: number; queued: number; today: number; position: number } }> {
    const admission = (this.admission ??= new PreparedSql(
      'tt_admit',
      ['uuid', 'text', 'jsonb', 'text', 'float8', 'int', 'int', 'float8'],
      `WITH usage AS (
         SELECT
           (SELECT count(*)::int FROM generations WHERE user_id = $1 AND status IN ('queued', 'running')) AS active,
           (SELECT count(*)::int FROM generations WHERE status = 'queued') AS queued,
           CASE WHEN $8 > 0 THEN (SELECT coalesce(sum(requested_seconds), 0)::float FROM generations
             WHERE user_id = $1 AND status NOT IN ('failed', 'canceled') AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') ELSE 0 END AS today
       ), created AS (
         INSERT INTO generations (user_id, status, prompt, request, engine, requested_seconds)
         SELECT $1, 'queued', $2, $3, $4, $5 FROM usage
         WHERE active < $6 AND queued < $7 AND ($8 <= 0 OR today + $5 <= $8)
         RETURNING ${generationColumns(this.dataSource)}
       )
       SELECT usage.active AS admit_active, usage.queued AS admit_queued, usage.today AS admit_today,
         (SELECT count(*)::int FROM generations g WHERE g.status = 'queued' AND (g.created_at, g.id) < (created.created_at, created.id)) + 1 AS admit_position,
         ${generationColumns(this.dataSource, 'created')}
       FROM usage LEFT JOIN created ON true`,
    ));
    const raw = await withPoolConnection(this.dataSource, async (client) => {
      const values = [user.id, prompt, params, engineId, requestedSeconds, limits.maxActiveJobsPerUser, limits.maxQueueLength, limits.dailySecondsQuota];
      const results = await admission.query(client, values, `SELECT id FROM users WHERE id = ${sqlLiteral(user.id)} FOR UPDATE;\n`);
      return results[results.length - 1].rows[0] as Record<string, unknown>;
    });
    const usage = { active: raw.admit_active as number, queued: raw.admit_queued as number, today: raw.admit_today as number, position: raw.admit_position as number };
    return { row: raw.id ? generationFromRow(this.dataSource, raw) : null, usage };
  }

  async get(user: AuthUser, id: string): Promise<GenerationResponse> {
    return this.toResponse(await this.findOwned(user, id));
  }

  /** The row if it belongs to the user; 404 otherwise (no existence leak). */
  async findOwned(user: Pick<AuthUser, 'id'>, id: string): Promise<GenerationEntity> {
    const row = isUuid(id) ? await this.generations.findOneBy({ id, userId: user.id }) : null;
    if (!row) throw NOT_FOUND();
    return row;
  }

  async list(user: AuthUser, limit = 20, cursor?: string, statuses?: readonly GenerationStatus[]): Promise<GenerationListResponse> {
    const after = decodeCursor(cursor);
    const query = this.generations.createQueryBuilder('g').where('g.user_id = :user', { user: user.id });
    if (statuses?.length) query.andWhere('g.status IN (:...statuses)', { statuses });
    if (after) query.andWhere('(g.created_at, g.id) < (:at, :id)', { at: after.createdAt, id: after.id });
    const rows = await query.orderBy('g.created_at', 'DESC').addOrderBy('g.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    return { items: await this.toResponses(page), next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
  }

  /**
   * Queued: canceled at once. Running: the worker is told (its engine gets an abort
   * signal) and this waits briefly for it to confirm. Idempotent; 409 when finished.
   */
  async cancel(user: AuthUser, id: string): Promise<GenerationResponse> {
    const row = await this.findOwned(user, id);
    const canceled = await this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE generations SET status = 'canceled', finished_at = now(), error_code = 'canceled', error_message = 'Canceled before it started.', updated_at = now()
         WHERE id = $1 AND status = 'queued' RETURNING *`,
        [row.id],
      )) as [Record<string, unknown>[], number];
      if (!rows.length) return null;
      const job = generationFromRow(this.dataSource, rows[0]);
      const event: GenerationWebhookData = { job: toGenerationResponse(job), tracks: [] };
      await this.webhooks.record(manager, job.userId, 'generation.canceled', event, job.finishedAt ?? undefined);
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
    await this.generations.update({ id: row.id, status: 'running' }, { cancelRequestedAt: new Date() });
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
    const [{ ahead }] = await this.generations.query(`SELECT count(*)::int AS ahead FROM generations WHERE status = 'queued' AND (created_at, id) < ($1, $2)`, [row.createdAt, row.id]);
    return ahead + 1;
  }

  /**
   * Run time against seconds of audio, per engine and quality, over each pair's last
   * RATE_SAMPLE successful jobs of the last day; measured again at most every RATE_REFRESH_MS.
   */
  private async renderRates(): Promise<RenderRates> {
    if (Date.now() - this.rates.at > RATE_REFRESH_MS) {
      const rows = (await this.generations.query(
        `SELECT engine, quality, count(*)::int AS jobs, avg(run)::float AS "meanRun", avg(seconds)::float AS "meanSeconds",
           regr_slope(run, seconds)::float AS slope, regr_intercept(run, seconds)::float AS intercept
         FROM (
           SELECT engine, request->>'quality' AS quality, requested_seconds AS seconds, extract(epoch FROM finished_at - started_at) AS run,
             row_number() OVER (PARTITION BY engine, request->>'quality' ORDER BY finished_at DESC) AS n
           FROM generations
           WHERE status = 'succeeded' AND started_at IS NOT NULL AND finished_at > now() - interval '1 day' AND requested_seconds > 0
         ) recent WHERE n <= $1 GROUP BY engine, quality`,
        [RATE_SAMPLE],
      )) as MeasuredKind[];
      this.rates = { value: toRenderRates(rows), at: Date.now() };
    }
    return this.rates.value;
  }

  /** Place in the queue and seconds until done, for a queued job. */
  private async queueEstimate(row: Pick<GenerationEntity, 'id' | 'createdAt'>): Promise<{ position: number; etaSeconds: number }> {
    const [rates, queued, running] = await Promise.all([
      this.renderRates(),
      this.generations.query(
        `SELECT engine, request->>'quality' AS quality, count(*)::int AS jobs, sum(requested_seconds)::float AS seconds
         FROM generations WHERE status = 'queued' AND (created_at, id) <= ($1, $2) GROUP BY 1, 2`,
        [row.createdAt, row.id],
      ) as Promise<QueuedWork[]>,
      this.runningWork(),
    ]);
    const position = Math.max(1, queued.reduce((sum, group) => sum + group.jobs, 0));
    return { position, etaSeconds: Math.round(queuedEtaSeconds(rates, queued, running, this.config.queue.concurrency)) };
  }

  /** The jobs being rendered now (every user's: they hold the workers), cached as briefly as the rates' callers need. */
  private runningWork(): Promise<RunningWork[]> {
    return this.generations.query(
      `SELECT engine, request->>'quality' AS quality, requested_seconds::float AS seconds, extract(epoch FROM now() - started_at)::float AS "elapsedSeconds"
       FROM generations WHERE status = 'running' AND started_at IS NOT NULL`,
    ) as Promise<RunningWork[]>;
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
