import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { ApiTokenScope, UserQuotaOverrides, UserRole } from '@texttune/contracts';
import type { Request } from 'express';

/** The signed-in caller, attached to the request by the JWT strategy or an API token. */
export interface AuthUser {
  id: string;
  email: string | null;
  displayName: string | null;
  role: UserRole;
  isGuest: boolean;
  createdAt: Date;
  /** the server-side session behind a session JWT; null when a personal API token was used */
  sessionId: string | null;
  /** the personal API token used; null for sessions */
  tokenId: string | null;
  /** what the personal API token used may do; null for sessions, which may do everything the account may */
  tokenScopes: readonly ApiTokenScope[] | null;
  /** per-user overrides of the generation limits (null fields: the server default) */
  quota: UserQuotaOverrides;
}

/** The JWT's claims: the user and the server-side session that keeps it valid. */
export interface SessionTokenClaims {
  sub: string;
  sid: string;
}

/** The caller's account columns in an authenticating row (session.repository.ts selects them). */
export interface AuthUserRow {
  id: string;
  email: string | null;
  display_name: string | null;
  role: UserRole;
  is_guest: boolean;
  created_at: Date;
  quota_daily_seconds: number | null;
  quota_max_active_jobs: number | null;
}

/** A row of an authenticating statement: the caller, and when its session or token expires. */
export type AuthenticatingRow = AuthUserRow & { caller_expires_at: Date };

export function authUserFromRow(row: AuthUserRow, via: { sessionId?: string; tokenId?: string; tokenScopes?: readonly ApiTokenScope[] }): AuthUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    isGuest: row.is_guest,
    createdAt: row.created_at,
    sessionId: via.sessionId ?? null,
    tokenId: via.tokenId ?? null,
    tokenScopes: via.tokenScopes ?? null,
    quota: { dailySeconds: row.quota_daily_seconds, maxActiveJobs: row.quota_max_active_jobs },
  };
}

/** A caller, and the route's resource read in the same statement (owned-lookup.ts): null when the caller owns none. */
export interface Authenticated {
  user: AuthUser;
  owned?: unknown;
}

export const IS_PUBLIC = 'texttune:isPublic';
/** Marks a route that needs no sign-in. Every other route does. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const OPTIONAL_SESSION = 'optionalSession';
/**
 * The route answers whether or not the caller is signed in: the user is attached when the
 * credentials are valid, and missing or invalid ones are no error (`req.user` stays unset).
 */
export const OptionalSession = () => SetMetadata(OPTIONAL_SESSION, true);

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<Request & { user: AuthUser }>().user;
});
