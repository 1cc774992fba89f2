/**
 * Request and response shapes of the admin API (`/v1/admin/*`, role admin only: every
 * route answers 403 `forbidden` to other accounts). Every change made through it is
 * written to the audit log (`GET /v1/admin/audit`).
 */

import type { UserRole } from './auth';
import type { EngineDescription, GenerationResponse, GenerationStatus } from './generations';

export const ADMIN_PAGE_MAX = 100;
export const ADMIN_PAGE_DEFAULT = 50;

/**
 * Per-user overrides of the server's generation limits; null = the server default
 * (MAX_ACTIVE_JOBS_PER_USER, DAILY_SECONDS_QUOTA).
 */
export interface UserQuotaOverrides {
  /** seconds of audio per UTC day; 0 = unlimited */
  dailySeconds: number | null;
  /** unfinished (queued or running) jobs at once */
  maxActiveJobs: number | null;
}

/** The limits that apply to the user: the overrides, or else the defaults. */
export interface EffectiveQuota {
  /** 0 = unlimited */
  dailySeconds: number;
  maxActiveJobs: number;
}

export const QUOTA_DAILY_SECONDS_MAX = 10_000_000;
export const QUOTA_MAX_ACTIVE_JOBS_MAX = 1000;

export interface AdminUserUsage {
  /** tracks in the library */
  tracks: number;
  /** seconds of audio requested today (UTC), as counted against the daily quota */
  audioSecondsToday: number;
  /** queued or running jobs */
  activeJobs: number;
}

/** One account in `GET /v1/admin/users`. */
export interface AdminUser {
  id: string;
  email: string | null;
  displayName: string | null;
  role: UserRole;
  /** the role comes from ADMIN_EMAILS and cannot be changed here */
  roleFromConfig: boolean;
  isGuest: boolean;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
  /** start of the newest session; null when never signed in */
  lastSignInAt: string | null;
  /** single sign-on identities (issuer URLs) linked to the account */
  sso: string[];
  usage: AdminUserUsage;
  quota: UserQuotaOverrides;
  effectiveQuota: EffectiveQuota;
}

/** `GET /v1/admin/users?q=&limit=&cursor=` (newest first; `q` matches email or name) */
export interface AdminUserListResponse {
  items: AdminUser[];
  nextCursor: string | null;
}

/**
 * `PATCH /v1/admin/users/:id`: any subset. Disabling ends the user's sessions and
 * revokes their API tokens at once; enabling lets them sign in again (old sessions and
 * tokens stay ended). An admin cannot demote or disable themselves.
 */
export interface UpdateAdminUserRequest {
  role?: UserRole;
  disabled?: boolean;
  /** fields present are set (null = back to the default); absent fields are kept */
  quota?: Partial<UserQuotaOverrides>;
}

/** One job in `GET /v1/admin/jobs`: the owner's view of it, plus who and how many attempts. */
export interface AdminJob extends GenerationResponse {
  user: { id: string; email: string | null };
  attempts: number;
}

/** `GET /v1/admin/jobs?status=&userId=&limit=&cursor=`, across users, newest first. */
export interface AdminJobListResponse {
  items: AdminJob[];
  next_cursor: string | null;
}

export interface AdminJobQuery {
  status?: GenerationStatus;
  userId?: string;
  limit?: number;
  cursor?: string;
}

/** Counts of failed jobs by error code in the window. */
export interface EngineErrorStat {
  /** Usually a GenerationErrorCode; any code stored in the database is counted. */
  code: string;
  count: number;
  lastAt: string;
  lastMessage: string | null;
}

export interface EngineStats {
  /** the window the numbers cover, by job creation time */
  windowHours: number;
  jobs: Record<GenerationStatus, number>;
  /** seconds from start to finish of succeeded jobs; null without any */
  latency: { avgSeconds: number; p50Seconds: number; p95Seconds: number; maxSeconds: number } | null;
  /** seconds of rendering per second of audio (succeeded jobs); null without any */
  secondsPerAudioSecond: number | null;
  errors: EngineErrorStat[];
}

/** `GET /v1/admin/engines` item: the public description plus recent numbers. */
export interface AdminEngine extends EngineDescription {
  stats: EngineStats;
}

export interface AdminEngineListResponse {
  items: AdminEngine[];
  /** the job queue right now; null when it cannot be reached */
  queue: { driver: string; waiting: number; active: number; delayed: number } | null;
}

/** What an audit entry records. */
export const AUDIT_ACTIONS = ['user.role_changed', 'user.disabled', 'user.enabled', 'user.quota_changed', 'user.deleted', 'job.retried', 'invite.created', 'invite.revoked'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_TARGET_TYPES = ['user', 'job', 'invite'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** One admin action: who, what, when, from where. */
export interface AuditEntry {
  id: string;
  createdAt: string;
  actor: { id: string | null; email: string | null };
  action: AuditAction;
  target: { type: AuditTargetType; id: string };
  /** e.g. `{ from: 'user', to: 'admin' }` */
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** `GET /v1/admin/audit?action=&actorId=&targetId=&limit=&cursor=`, newest first. */
export interface AuditListResponse {
  items: AuditEntry[];
  nextCursor: string | null;
}

/** How long an invite is valid by default, and at most, in hours. */
export const INVITE_DEFAULT_HOURS = 72;
export const INVITE_MAX_HOURS = 24 * 30;

/** `POST /v1/admin/invites` (REGISTRATION=invite): a one-time code for one new account. */
export interface CreateInviteRequest {
  /** only this address may use it (any case); absent: whoever has the code */
  email?: string;
  expiresInHours?: number;
}

/** One invite in `GET /v1/admin/invites`; `code` and `url` only in the answer that creates it. */
export interface AdminInvite {
  id: string;
  email: string | null;
  createdAt: string;
  expiresAt: string;
  /** when it was used to create an account, else null */
  usedAt: string | null;
  usedBy: string | null;
  revokedAt: string | null;
  createdBy: string | null;
  /** the one-time code; shown once */
  code?: string;
  /** the sign-up page with the code filled in, relative to the web client: `/signin?invite=<code>` */
  url?: string;
}

export interface AdminInviteListResponse {
  items: AdminInvite[];
}
