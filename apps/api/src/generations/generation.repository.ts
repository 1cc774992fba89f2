import { Injectable } from '@nestjs/common';
import type { GenerationErrorCode, GenerationParams, GenerationStatus } from '@texttune/contracts';
import { Sql } from '../database/sql';
import type { GenerationEntity } from './generation.entity';
import type { MeasuredKind, QueuedWork, RunningWork } from './render-estimates';

/** Each field of the entity and its column: a row read with {@link columns} is a GenerationEntity as it is. */
const FIELDS: Record<keyof GenerationEntity, string> = {
  id: 'id',
  userId: 'user_id',
  status: 'status',
  prompt: 'prompt',
  params: 'request',
  engine: 'engine',
  progress: 'progress',
  enginePosition: 'engine_position',
  etaSeconds: 'eta_seconds',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  attempts: 'attempts',
  requestedSeconds: 'requested_seconds',
  cancelRequestedAt: 'cancel_requested_at',
  heartbeatAt: 'heartbeat_at',
  workerId: 'worker_id',
  createdAt: 'created_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  updatedAt: 'updated_at',
};

/** The select list of every column as its field, of the table aliased `alias` when given. */
const columns = (alias?: string) =>
  Object.entries(FIELDS)
    .map(([field, column]) => `${alias ? `${alias}.` : ''}${column} AS "${field}"`)
    .join(', ');
const COLUMNS = columns();
const G_COLUMNS = columns('g');
/** The columns of admit_generation()'s job (a `generations` row, null when refused). */
const ADMITTED_COLUMNS = columns('(a.job)');

/** An admission's row: the counts, and the job's columns (all null when it was refused). */
type AdmissionRow = AdmissionUsage & (GenerationEntity | { [K in keyof GenerationEntity]: null });

const admitted = (row: AdmissionRow): row is AdmissionUsage & GenerationEntity => row.id !== null;

/** What admission needs to know about the request and the user's limits. */
export interface Admission {
  userId: string;
  prompt: string;
  params: GenerationParams;
  engine: string;
  requestedSeconds: number;
  maxActiveJobs: number;
  maxQueueLength: number;
  /** seconds of audio a day; 0 or less: no quota */
  dailySecondsQuota: number;
}

/** The counts admission decided on, and (when admitted) the job's 1-based place in the queue. */
export interface AdmissionUsage {
  active: number;
  queued: number;
  today: number;
  position: number;
}

/**
 * Why a job goes back to `queued`, and which rows that concerns:
 * - `shutdown`: its worker stops and hands it back; the attempt does not count;
 * - `transient`: the engine failed in a way worth retrying; the error shows until the retry runs;
 * - `lost`: its worker stopped heartbeating for longer than the lease (crashed, cut off);
 * - `restart`: the single embedded process restarted, so every running job died with it;
 * - `retry`: an administrator retries a failed job as new (attempts, error and timings cleared).
 */
export type RequeueReason =
  | { kind: 'shutdown'; id: string; workerId: string }
  | { kind: 'transient'; id: string; workerId: string; code: GenerationErrorCode; message: string }
  | { kind: 'lost'; leaseSeconds: number }
  | { kind: 'restart' }
  | { kind: 'retry'; id: string };

/** Filters of a newest-first page of jobs. */
export interface GenerationPageQuery {
  userId?: string;
  statuses?: readonly GenerationStatus[];
  after?: { createdAt: Date; id: string } | null;
  limit: number;
}

/** A finished job as the metrics take it in. */
export interface FinishedJob {
  id: string;
  engine: string;
  status: GenerationStatus;
  errorCode: string | null;
  runSeconds: number | null;
  waitSeconds: number | null;
  /** finished_at as Postgres prints it: a keyset position that keeps microseconds */
  finishedAt: string;
}

/** Per engine and status over a window: counts and run-time figures. */
export interface EngineTotals {
  engine: string | null;
  status: GenerationStatus;
  n: number;
  avg: number | null;
  p50: number | null;
  p95: number | null;
  max: number | null;
  perAudioSecond: number | null;
}

/** Per engine and error code over a window: how often, and the latest one. */
export interface EngineErrors {
  engine: string | null;
  code: string | null;
  n: number;
  lastAt: Date | null;
  lastMessage: string | null;
}

/**
 * The `generations` table: a job's whole life (admitted, claimed, heartbeating,
 * succeeded, failed, canceled, requeued) and the figures read from it. Every write is a
 * single conditional statement, so two processes racing on a job cannot both win.
 * Methods that take `tx` run inside the caller's transaction.
 */
@Injectable()
export class GenerationRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Admission: checks the user's limits and writes the job, `queued`, only if they allow
   * it. admit_generation() (a migration) locks the user's row first, serialising that
   * user's concurrent requests, and counts only once it holds the lock. One round trip
   * rather than a four-message transaction: it takes about 15% of the API's CPU per job
   * less under bench/pipeline.
   */
  async admit(request: Admission): Promise<{ job: GenerationEntity | null; usage: AdmissionUsage }> {
    const row = await this.sql.one<AdmissionRow>(
      `SELECT a.active, a.queued, a.today, a.position, ${ADMITTED_COLUMNS}
       FROM admit_generation($1, $2, $3, $4, $5, $6, $7, $8) a`,
      [request.userId, request.prompt, request.params, request.engine, request.requestedSeconds, request.maxActiveJobs, request.maxQueueLength, request.dailySecondsQuota],
    );
    if (!row) throw new Error('admission returned no row');
    const usage = { active: row.active, queued: row.queued, today: row.today, position: row.position };
    if (!admitted(row)) return { job: null, usage };
    const { active: _active, queued: _queued, today: _today, position: _position, ...job } = row;
    return { job, usage };
  }

  async findById(id: string, tx: Sql = this.sql): Promise<GenerationEntity | null> {
    return (await tx.one<GenerationEntity>(`SELECT ${COLUMNS} FROM generations WHERE id = $1`, [id])) ?? null;
  }

  /** The job if it belongs to the user (null for another user's: no existence leak). */
  async findOwned(userId: string, id: string): Promise<GenerationEntity | null> {
    return (await this.sql.one<GenerationEntity>(`SELECT ${COLUMNS} FROM generations WHERE id = $1 AND user_id = $2`, [id, userId])) ?? null;
  }

  /** A newest-first page (keyset on created_at, id), one row more than `limit` when there is a next page. */
  page(query: GenerationPageQuery): Promise<GenerationEntity[]> {
    return this.pageRows<GenerationEntity>(`SELECT ${G_COLUMNS} FROM generations g`, query);
  }

  /**
   * The same page across users, with each job's owner address (the admin list). The
   * address is read from `users` here until that aggregate offers a batch look-up.
   */
  async pageWithOwners(query: GenerationPageQuery): Promise<{ job: GenerationEntity; ownerEmail: string | null }[]> {
    const rows = await this.pageRows<GenerationEntity & { ownerEmail: string | null }>(
      `SELECT ${G_COLUMNS}, u.email AS "ownerEmail" FROM generations g JOIN users u ON u.id = g.user_id`,
      query,
    );
    return rows.map(({ ownerEmail, ...job }) => ({ job, ownerEmail }));
  }

  private pageRows<R>(select: string, query: GenerationPageQuery): Promise<R[]> {
    return this.sql.rows<R>(
      `${select}
       WHERE ($1::uuid IS NULL OR g.user_id = $1) AND ($2::text[] IS NULL OR g.status = ANY($2))
         AND ($3::timestamptz IS NULL OR (g.created_at, g.id) < ($3, $4::uuid))
       ORDER BY g.created_at DESC, g.id DESC LIMIT $5`,
      [query.userId ?? null, query.statuses?.length ? query.statuses : null, query.after?.createdAt ?? null, query.after?.id ?? null, query.limit + 1],
    );
  }

  /** Each user's address, for the admin's job list (read from `users` until that aggregate offers a batch look-up). */
  async ownerEmails(userIds: string[]): Promise<Map<string, string | null>> {
    const rows = await this.sql.rows<{ id: string; email: string | null }>(`SELECT id, email FROM users WHERE id = ANY($1::uuid[])`, [userIds]);
    return new Map(rows.map((row) => [row.id, row.email]));
  }

  /** 1-based place among queued jobs (first come, first served). */
  async positionOf(job: Pick<GenerationEntity, 'id' | 'createdAt'>): Promise<number> {
    const row = await this.sql.one<{ ahead: number }>(`SELECT count(*)::int AS ahead FROM generations WHERE status = 'queued' AND (created_at, id) < ($1, $2)`, [job.createdAt, job.id]);
    return (row?.ahead ?? 0) + 1;
  }

  /**
   * `queued -> running` for `workerId`, or a takeover of a running job whose worker has
   * not heartbeated for `leaseSeconds`; counts the attempt. Null when the job is not
   * claimable (finished, canceled, or alive in another worker).
   */
  async claim(id: string, workerId: string, leaseSeconds: number): Promise<GenerationEntity | null> {
    const row = await this.sql.one<GenerationEntity>(
      `UPDATE generations
       SET status = 'running', started_at = coalesce(started_at, now()), heartbeat_at = now(), worker_id = $2,
           attempts = attempts + 1, progress = 0, engine_position = NULL, eta_seconds = NULL, updated_at = now()
       WHERE id = $1 AND (status = 'queued' OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => $3)))
       RETURNING ${COLUMNS}`,
      [id, workerId, leaseSeconds],
    );
    return row ?? null;
  }

  /**
   * Renews the worker's lease and saves its progress. `held: false` when the job is not
   * this worker's any more (taken over, finished); `cancelRequested` once the API asked.
   */
  async heartbeat(
    id: string,
    workerId: string,
    progress: Pick<GenerationEntity, 'progress' | 'enginePosition' | 'etaSeconds'>,
  ): Promise<{ held: boolean; cancelRequested: boolean }> {
    const row = await this.sql.one<{ cancelRequested: boolean }>(
      `UPDATE generations SET heartbeat_at = now(), progress = $3, engine_position = $4, eta_seconds = $5, updated_at = now()
       WHERE id = $1 AND worker_id = $2 AND status = 'running' RETURNING cancel_requested_at IS NOT NULL AS "cancelRequested"`,
      [id, workerId, progress.progress, progress.enginePosition, progress.etaSeconds],
    );
    return { held: row !== undefined, cancelRequested: row?.cancelRequested ?? false };
  }

  /** `running -> succeeded` if the job is still this worker's; null (nothing written) otherwise. */
  async succeed(id: string, workerId: string, tx: Sql = this.sql): Promise<GenerationEntity | null> {
    const row = await tx.one<GenerationEntity>(
      `UPDATE generations SET status = 'succeeded', progress = 1, finished_at = now(), engine_position = NULL, eta_seconds = NULL, updated_at = now()
       WHERE id = $1 AND status = 'running' AND worker_id = $2 RETURNING ${COLUMNS}`,
      [id, workerId],
    );
    return row ?? null;
  }

  /** `running -> failed` with a stable code, if the job is still this worker's; null otherwise. */
  fail(id: string, workerId: string, code: GenerationErrorCode, message: string, tx: Sql = this.sql): Promise<GenerationEntity | null> {
    return this.end(id, workerId, 'failed', code, message, tx);
  }

  /** `running -> canceled`: the worker confirms a cancel request it noticed; null when the job is not its own any more. */
  confirmCancel(id: string, workerId: string, message: string, tx: Sql = this.sql): Promise<GenerationEntity | null> {
    return this.end(id, workerId, 'canceled', 'canceled', message, tx);
  }

  private async end(id: string, workerId: string, status: 'failed' | 'canceled', code: GenerationErrorCode, message: string, tx: Sql): Promise<GenerationEntity | null> {
    const row = await tx.one<GenerationEntity>(
      `UPDATE generations SET status = $3, error_code = $4, error_message = $5, finished_at = now(), engine_position = NULL, eta_seconds = NULL, updated_at = now()
       WHERE id = $1 AND worker_id = $2 AND status = 'running' RETURNING ${COLUMNS}`,
      [id, workerId, status, code, message],
    );
    return row ?? null;
  }

  /** `queued -> canceled` (no worker has it yet); null when it is not queued any more. */
  async cancel(id: string, tx: Sql = this.sql): Promise<GenerationEntity | null> {
    const row = await tx.one<GenerationEntity>(
      `UPDATE generations SET status = 'canceled', finished_at = now(), error_code = 'canceled', error_message = 'Canceled before it started.', updated_at = now()
       WHERE id = $1 AND status = 'queued' RETURNING ${COLUMNS}`,
      [id],
    );
    return row ?? null;
  }

  /** Marks a running job for cancelation; its worker's heartbeat notices. False when it is not running. */
  async requestCancel(id: string): Promise<boolean> {
    return (await this.sql.run(`UPDATE generations SET cancel_requested_at = now(), updated_at = now() WHERE id = $1 AND status = 'running'`, [id])) > 0;
  }

  /**
   * Puts jobs back to `queued`, for `reason` (which also says which jobs); returns them.
   * The progress and the worker are cleared in every case; what else changes is the
   * reason's (see {@link RequeueReason}).
   */
  async requeue(reason: RequeueReason, tx: Sql = this.sql): Promise<GenerationEntity[]> {
    const id = 'id' in reason ? reason.id : null;
    const workerId = 'workerId' in reason ? reason.workerId : null;
    const leaseSeconds = reason.kind === 'lost' ? reason.leaseSeconds : null;
    const from: GenerationStatus = reason.kind === 'retry' ? 'failed' : 'running';
    const error = reason.kind === 'transient' ? { code: reason.code, message: reason.message } : null;
    return tx.rows<GenerationEntity>(
      `UPDATE generations SET status = 'queued', worker_id = NULL, progress = 0, engine_position = NULL, eta_seconds = NULL, updated_at = now(),
         attempts = CASE $5::text WHEN 'shutdown' THEN greatest(attempts - 1, 0) WHEN 'retry' THEN 0 ELSE attempts END,
         error_code = CASE $5::text WHEN 'transient' THEN $6::text WHEN 'retry' THEN NULL ELSE error_code END,
         error_message = CASE $5::text WHEN 'transient' THEN $7::text WHEN 'retry' THEN NULL ELSE error_message END,
         started_at = CASE $5::text WHEN 'retry' THEN NULL ELSE started_at END,
         finished_at = CASE $5::text WHEN 'retry' THEN NULL ELSE finished_at END,
         heartbeat_at = CASE $5::text WHEN 'retry' THEN NULL ELSE heartbeat_at END,
         cancel_requested_at = CASE $5::text WHEN 'retry' THEN NULL ELSE cancel_requested_at END
       WHERE status = $1 AND ($2::uuid IS NULL OR id = $2) AND ($3::text IS NULL OR worker_id = $3)
         AND ($4::float8 IS NULL OR heartbeat_at < now() - make_interval(secs => $4))
       RETURNING ${COLUMNS}`,
      [from, id, workerId, leaseSeconds, reason.kind, error?.code ?? null, error?.message ?? null],
    );
  }

  /**
   * Fails, as `interrupted`, the running jobs whose worker stopped heartbeating for
   * `leaseSeconds` and which have had `maxAttempts` attempts already.
   */
  failInterrupted(leaseSeconds: number, maxAttempts: number, tx: Sql = this.sql): Promise<GenerationEntity[]> {
    return tx.rows<GenerationEntity>(
      `UPDATE generations SET status = 'failed', error_code = 'interrupted', finished_at = now(), updated_at = now(),
         error_message = 'The worker rendering this job stopped ' || attempts || ' time(s) (crash or restart); try again.'
       WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1) AND attempts >= $2 RETURNING ${COLUMNS}`,
      [leaseSeconds, maxAttempts],
    );
  }

  /** Ids of queued jobs, oldest first; with `idleSeconds`, only those unchanged for that long (the queue may have lost them). */
  async queuedIds(options: { idleSeconds?: number; limit?: number } = {}): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT id FROM generations WHERE status = 'queued' AND ($1::float8 IS NULL OR updated_at < now() - make_interval(secs => $1))
       ORDER BY created_at, id LIMIT $2`,
      [options.idleSeconds ?? null, options.limit ?? null],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Run time against seconds of audio, per engine and quality, over each pair's last
   * `sample` successful jobs of the last day.
   */
  measuredKinds(sample: number): Promise<MeasuredKind[]> {
    return this.sql.rows<MeasuredKind>(
      `SELECT engine, quality, count(*)::int AS jobs, avg(run)::float AS "meanRun", avg(seconds)::float AS "meanSeconds",
         regr_slope(run, seconds)::float AS slope, regr_intercept(run, seconds)::float AS intercept
       FROM (
         SELECT engine, request->>'quality' AS quality, requested_seconds AS seconds, extract(epoch FROM finished_at - started_at) AS run,
           row_number() OVER (PARTITION BY engine, request->>'quality' ORDER BY finished_at DESC) AS n
         FROM generations
         WHERE status = 'succeeded' AND started_at IS NOT NULL AND finished_at > now() - interval '1 day' AND requested_seconds > 0
       ) recent WHERE n <= $1 GROUP BY engine, quality`,
      [sample],
    );
  }

  /** The queued work up to and including `job`, per engine and quality. */
  queuedWorkThrough(job: Pick<GenerationEntity, 'id' | 'createdAt'>): Promise<QueuedWork[]> {
    return this.sql.rows<QueuedWork>(
      `SELECT engine, request->>'quality' AS quality, count(*)::int AS jobs, sum(requested_seconds)::float AS seconds
       FROM generations WHERE status = 'queued' AND (created_at, id) <= ($1, $2) GROUP BY 1, 2`,
      [job.createdAt, job.id],
    );
  }

  /** The jobs being rendered now (every user's: they hold the workers). */
  runningWork(): Promise<RunningWork[]> {
    return this.sql.rows<RunningWork>(
      `SELECT engine, request->>'quality' AS quality, requested_seconds::float AS seconds, extract(epoch FROM now() - started_at)::float AS "elapsedSeconds"
       FROM generations WHERE status = 'running' AND started_at IS NOT NULL`,
    );
  }

  /** How many jobs there are per status and engine ('' for none). */
  countByStatusAndEngine(): Promise<{ status: GenerationStatus; engine: string; n: number }[]> {
    return this.sql.rows<{ status: GenerationStatus; engine: string; n: number }>(`SELECT status, coalesce(engine, '') AS engine, count(*)::int AS n FROM generations GROUP BY 1, 2`);
  }

  /**
   * Jobs finished after the keyset position `after` (finished_at as text, id) and at
   * least `settleSeconds` ago, oldest first.
   */
  finishedAfter(after: { finishedAt: string; id: string }, settleSeconds: number, limit: number): Promise<FinishedJob[]> {
    return this.sql.rows<FinishedJob>(
      `SELECT id, coalesce(engine, '') AS engine, status, error_code AS "errorCode", finished_at::text AS "finishedAt",
              extract(epoch FROM finished_at - started_at)::float8 AS "runSeconds",
              extract(epoch FROM started_at - created_at)::float8 AS "waitSeconds"
       FROM generations
       WHERE finished_at IS NOT NULL AND (finished_at, id) > ($1::timestamptz, $2::uuid) AND finished_at <= now() - make_interval(secs => $3)
       ORDER BY finished_at, id LIMIT $4`,
      [after.finishedAt, after.id, settleSeconds, limit],
    );
  }

  /** A keyset position `seconds` before now (finished_at as text), from which `finishedAfter` starts. */
  async finishedKeysetAgo(seconds: number): Promise<string> {
    const row = await this.sql.one<{ at: string }>(`SELECT (now() - make_interval(secs => $1))::text AS at`, [seconds]);
    if (!row) throw new Error('no clock row');
    return row.at;
  }

  /** Per engine and status, over the jobs created in the last `hours`. */
  engineTotals(hours: number): Promise<EngineTotals[]> {
    return this.sql.rows<EngineTotals>(
      `SELECT engine, status, count(*)::int AS n,
         avg(extract(epoch FROM finished_at - started_at))::float AS avg,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at))::float AS p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at))::float AS p95,
         max(extract(epoch FROM finished_at - started_at))::float AS max,
         (sum(extract(epoch FROM finished_at - started_at)) / nullif(sum(requested_seconds), 0))::float AS "perAudioSecond"
       FROM generations WHERE created_at > now() - make_interval(hours => $1)
       GROUP BY engine, status`,
      [hours],
    );
  }

  /** Per engine and error code, over the jobs created in the last `hours` that failed. */
  engineErrors(hours: number): Promise<EngineErrors[]> {
    return this.sql.rows<EngineErrors>(
      `SELECT DISTINCT ON (engine, error_code) engine, error_code AS code,
         count(*) OVER (PARTITION BY engine, error_code)::int AS n, finished_at AS "lastAt", error_message AS "lastMessage"
       FROM generations
       WHERE created_at > now() - make_interval(hours => $1) AND status = 'failed'
       ORDER BY engine, error_code, finished_at DESC NULLS LAST`,
      [hours],
    );
  }
}
