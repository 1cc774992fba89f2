import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  GENERATION_STATUSES,
  type AdminEngine,
  type AdminEngineListResponse,
  type AdminInvite,
  type AdminInviteListResponse,
  type AdminJob,
  type AdminJobListResponse,
  type AdminUser,
  type AdminUserListResponse,
  type EngineStats,
  type GenerationStatus,
  type UserQuotaOverrides,
} from '@texttune/contracts';
import type { AuthUser } from '../auth/auth-user';
import { SessionRepository } from '../auth/session.repository';
import { ApiError } from '../common/api-error';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { isUuid } from '../common/uuid';
import { withTimeout } from '../common/timeout';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Sql } from '../database/sql';
import { EngineRegistry } from '../engines/engine-registry';
import { GenerationEvents } from '../generations/generation-events';
import type { GenerationEntity } from '../generations/generation.entity';
import { GenerationRepository } from '../generations/generation.repository';
import { GenerationsService } from '../generations/generations.service';
import { JOB_QUEUE, type JobQueue } from '../queue/job-queue';
import { StorageGarbage } from '../storage/storage-garbage';
import { ApiTokenRepository } from '../tokens/api-token.repository';
import { ReferenceRepository } from '../references/reference.repository';
import { TracksService } from '../tracks/tracks.service';
import { effectiveQuota } from '../users/quota';
import { InvitesService } from '../users/invites.service';
import { UserRepository, type AdminUserRow } from '../users/user.repository';
import { UsersService } from '../users/users.service';
import { AuditService, type AuditContext } from './audit.service';
import type { UpdateAdminUserDto } from './dto';

/** The window of the engine numbers. */
const STATS_WINDOW_HOURS = 24;
const QUEUE_TIMEOUT_MS = 2000;

const USER_NOT_FOUND = () => new ApiError(404, 'not_found', 'There is no such user.');
const JOB_NOT_FOUND = () => new ApiError(404, 'not_found', 'There is no such job.');

/** The admin API: users and their limits, jobs across users, engines, all audited. */
@Injectable()
export class AdminService {
  private readonly logger = new Logger('Admin');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly users: UsersService,
    private readonly generations: GenerationsService,
    private readonly events: GenerationEvents,
    private readonly engines: EngineRegistry,
    private readonly audit: AuditService,
    private readonly garbage: StorageGarbage,
    private readonly tracks: TracksService,
    private readonly invites: InvitesService,
    private readonly sql: Sql,
    private readonly userRows: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly apiTokens: ApiTokenRepository,
    private readonly references: ReferenceRepository,
    private readonly jobs: GenerationRepository,
  ) {}

  // --- invites -----------------------------------------------------------------------

  /**
   * A one-time invite (REGISTRATION=invite), audited with its expiry and address, never
   * its code. Made whatever REGISTRATION is now, so that invites can be handed out
   * before the switch.
   */
  async createInvite(context: AuditContext, fields: { email?: string; expiresInHours: number }): Promise<AdminInvite> {
    return this.sql.transaction(async (tx) => {
      const { invite, code } = await this.invites.create(tx, { createdBy: context.actor.id || null, ...fields });
      await this.audit.record(tx, context, 'invite.created', { type: 'invite', id: invite.id }, { email: invite.email, expiresAt: invite.expiresAt.toISOString() });
      return InvitesService.toResponse(invite, code);
    });
  }

  async listInvites(): Promise<AdminInviteListResponse> {
    return { items: (await this.invites.list()).map((invite) => InvitesService.toResponse(invite)) };
  }

  async revokeInvite(context: AuditContext, id: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      if (!(await this.invites.revoke(tx, id))) throw new ApiError(404, 'not_found', 'There is no unused invite with this id.');
      await this.audit.record(tx, context, 'invite.revoked', { type: 'invite', id });
    });
  }

  // --- users -------------------------------------------------------------------------

  async listUsers(query: { q?: string; limit: number; cursor?: string }): Promise<AdminUserListResponse> {
    const rows = await this.userRows.adminPage({ q: query.q, after: decodeCursor(query.cursor), limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((row) => this.toAdminUser(row)),
      nextCursor: rows.length > query.limit ? encodeCursor({ createdAt: page[page.length - 1].created_at, id: page[page.length - 1].id }) : null,
    };
  }

  async getUser(id: string, tx: Sql = this.sql): Promise<AdminUser> {
    const row = isUuid(id) ? await this.userRows.adminView(id, tx) : undefined;
    if (!row) throw USER_NOT_FOUND();
    return this.toAdminUser(row);
  }

  /**
   * Role, disabled and quota changes, in one transaction with their audit entries.
   * Disabling ends the user's sessions and revokes their API tokens in that transaction,
   * and every request checks the account, so nothing of theirs works after it commits.
   */
  async updateUser(context: AuditContext & { actor: AuthUser }, id: string, dto: UpdateAdminUserDto): Promise<AdminUser> {
    if (!isUuid(id)) throw USER_NOT_FOUND();
    return this.sql.transaction(async (tx) => {
      const user = await this.userRows.lockForChange(id, tx);
      if (!user) throw USER_NOT_FOUND();
      const self = user.id === context.actor.id;
      const target = { type: 'user' as const, id: user.id };

      if (dto.role !== undefined && (dto.role !== user.role || dto.role !== user.role_override)) {
        if (self && dto.role !== 'admin') throw new ApiError(409, 'conflict', 'You cannot remove your own admin role; ask another administrator.');
        if (dto.role !== 'admin' && this.users.isConfiguredAdmin(user.email)) {
          throw new ApiError(409, 'conflict', 'This account is an admin by ADMIN_EMAILS; change that setting to remove the role.');
        }
        await this.userRows.assignRole(id, dto.role, tx);
        await this.audit.record(tx, context, 'user.role_changed', target, { from: user.role, to: dto.role });
      }

      if (dto.disabled === true && !user.disabled_at) {
        if (self) throw new ApiError(409, 'conflict', 'You cannot disable your own account; ask another administrator.');
        await this.userRows.disable(id, tx);
        const sessions = await this.sessions.revokeAllOf(id, tx);
        const tokens = await this.apiTokens.revokeAllOf(id, tx);
        await this.audit.record(tx, context, 'user.disabled', target, { sessionsEnded: sessions, tokensRevoked: tokens });
      } else if (dto.disabled === false && user.disabled_at) {
        await this.userRows.enable(id, tx);
        await this.audit.record(tx, context, 'user.enabled', target);
      }

      if (dto.quota) {
        const from: UserQuotaOverrides = { dailySeconds: user.quota_daily_seconds, maxActiveJobs: user.quota_max_active_jobs };
        const to: UserQuotaOverrides = {
          dailySeconds: dto.quota.dailySeconds !== undefined ? dto.quota.dailySeconds : from.dailySeconds,
          maxActiveJobs: dto.quota.maxActiveJobs !== undefined ? dto.quota.maxActiveJobs : from.maxActiveJobs,
        };
        if (to.dailySeconds !== from.dailySeconds || to.maxActiveJobs !== from.maxActiveJobs) {
          await this.userRows.setQuota(id, to, tx);
          await this.audit.record(tx, context, 'user.quota_changed', target, { from, to });
        }
      }
      return this.getUser(id, tx);
    });
  }

  /**
   * Deletes an account and everything it owns: sessions, API tokens, jobs, tracks,
   * playlists, share links and reference audio go with the row (foreign keys cascade),
   * and every stored file of its tracks (renditions included) and references goes to the
   * storage outbox in the same transaction, so no file outlives its row and none is
   * removed before the row is gone. A job still rendering finds its row gone and drops
   * what it made. Admins cannot delete themselves or an ADMIN_EMAILS admin. Audited,
   * with the email kept in the entry.
   */
  async deleteUser(context: AuditContext & { actor: AuthUser }, id: string): Promise<void> {
    if (!isUuid(id)) throw USER_NOT_FOUND();
    const files = await this.sql.transaction(async (tx) => {
      const user = await this.userRows.lockForChange(id, tx);
      if (!user) throw USER_NOT_FOUND();
      if (user.id === context.actor.id) throw new ApiError(409, 'conflict', 'You cannot delete your own account; ask another administrator.');
      if (this.users.isConfiguredAdmin(user.email)) throw new ApiError(409, 'conflict', 'This account is an admin by ADMIN_EMAILS; remove it from that setting first.');
      const { tracks, keys: trackFiles } = await this.tracks.filesOfUser(id, tx);
      const keys = [...trackFiles, ...(await this.references.storageKeysOf(id, tx))];
      await this.garbage.enqueue(keys, tx);
      await this.userRows.remove(id, tx);
      await this.audit.record(tx, context, 'user.deleted', { type: 'user', id }, { email: user.email, tracks, files: keys.length });
      return keys;
    });
    // Removed in the background (thousands of files must not hold the answer); whatever
    // fails, or is cut short by a shutdown, stays in the outbox for the sweeper.
    void this.garbage.collect(files).catch((error: unknown) => this.logger.warn(`removing the files of deleted user ${id}: ${(error as Error).message}`));
  }

  private toAdminUser(row: AdminUserRow): AdminUser {
    const quota: UserQuotaOverrides = { dailySeconds: row.quota_daily_seconds, maxActiveJobs: row.quota_max_active_jobs };
    return {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      roleFromConfig: this.users.isConfiguredAdmin(row.email),
      isGuest: row.is_guest,
      disabled: row.disabled_at !== null,
      disabledAt: row.disabled_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
      sso: row.sso,
      usage: { tracks: row.tracks, audioSecondsToday: row.seconds_today, activeJobs: row.active_jobs },
      quota,
      effectiveQuota: effectiveQuota(this.config, quota),
    };
  }

  // --- jobs --------------------------------------------------------------------------

  async listJobs(query: { status?: GenerationStatus; userId?: string; limit: number; cursor?: string }): Promise<AdminJobListResponse> {
    const rows = await this.jobs.pageWithOwners({ userId: query.userId, statuses: query.status ? [query.status] : undefined, after: decodeCursor(query.cursor), limit: query.limit });
    const page = rows.slice(0, query.limit);
    const jobs = page.map((row) => row.job);
    return {
      items: await this.toAdminJobs(jobs, page.map((row) => row.ownerEmail)),
      next_cursor: rows.length > query.limit ? encodeCursor(jobs[jobs.length - 1]) : null,
    };
  }

  /**
   * A failed job back to `queued` as new (attempts, error and timings cleared, same
   * request and seed), audited, then offered to the queue. If the queue cannot take it
   * now, the workers' sweep finds the queued row within a minute.
   */
  async retryJob(context: AuditContext, id: string): Promise<AdminJob> {
    if (!isUuid(id)) throw JOB_NOT_FOUND();
    const row = await this.sql.transaction(async (tx) => {
      const [job] = await this.jobs.requeue({ kind: 'retry', id }, tx);
      if (!job) {
        const current = await this.jobs.findById(id, tx);
        if (!current) throw JOB_NOT_FOUND();
        throw new ApiError(409, 'conflict', `Only failed jobs can be retried; this one is ${current.status}.`, { status: current.status });
      }
      await this.audit.record(tx, context, 'job.retried', { type: 'job', id }, { userId: job.userId, engine: job.engine });
      return job;
    });
    try {
      // Not `fresh`: the id has been in the queue before (a finished entry may still be kept there).
      await withTimeout(this.queue.enqueue(row.id), QUEUE_TIMEOUT_MS);
    } catch (error) {
      this.logger.warn(`could not enqueue the retried job ${row.id} now (${(error as Error).message}); the sweep will`);
    }
    const [job] = await this.toAdminJobs([row]);
    await this.events.publish({ type: 'status', job }).catch(() => undefined);
    return job;
  }

  private async toAdminJobs(rows: GenerationEntity[], emails?: (string | null)[]): Promise<AdminJob[]> {
    const responses = await this.generations.toResponses(rows);
    let ownerEmails = emails;
    if (!ownerEmails) {
      const byId = await this.jobs.ownerEmails(rows.map((r) => r.userId));
      ownerEmails = rows.map((r) => byId.get(r.userId) ?? null);
    }
    return responses.map((response, i) => ({ ...response, user: { id: rows[i].userId, email: ownerEmails[i] }, attempts: rows[i].attempts }));
  }

  // --- engines -----------------------------------------------------------------------

  /** Each engine's readiness (as GET /v1/engines) with its numbers over the last 24 hours, and the queue. */
  async engineOverview(): Promise<AdminEngineListResponse> {
    const [descriptions, totals, errors, queue] = await Promise.all([
      this.engines.describeAll(),
      this.jobs.engineTotals(STATS_WINDOW_HOURS),
      this.jobs.engineErrors(STATS_WINDOW_HOURS),
      withTimeout(this.queue.counts(), QUEUE_TIMEOUT_MS).then(
        (counts) => ({ driver: this.queue.driver, ...counts }),
        () => null,
      ),
    ]);
    const items: AdminEngine[] = descriptions.map((description) => {
      const stats: EngineStats = {
        windowHours: STATS_WINDOW_HOURS,
        jobs: Object.fromEntries(GENERATION_STATUSES.map((s) => [s, 0])) as Record<GenerationStatus, number>,
        latency: null,
        secondsPerAudioSecond: null,
        errors: [],
      };
      for (const row of totals.filter((t) => t.engine === description.id)) {
        stats.jobs[row.status] = row.n;
        if (row.status === 'succeeded' && row.avg !== null) {
          const round = (v: number | null) => Math.round((v ?? 0) * 1000) / 1000;
          stats.latency = { avgSeconds: round(row.avg), p50Seconds: round(row.p50), p95Seconds: round(row.p95), maxSeconds: round(row.max) };
          stats.secondsPerAudioSecond = row.perAudioSecond === null ? null : round(row.perAudioSecond);
        }
      }
      stats.errors = errors
        .filter((e) => e.engine === description.id)
        .map((e) => ({ code: e.code ?? 'unknown', count: e.n, lastAt: (e.lastAt ?? new Date(0)).toISOString(), lastMessage: e.lastMessage }))
        .sort((a, b) => b.count - a.count);
      return { ...description, stats };
    });
    return { items, queue };
  }
}
