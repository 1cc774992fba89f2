import { Injectable } from '@nestjs/common';
import {
  API_TOKEN_DEFAULT_DAYS,
  API_TOKEN_DEFAULT_SCOPES,
  API_TOKEN_PREFIX,
  API_TOKEN_SCOPES,
  API_TOKENS_PER_USER_MAX,
  type ApiTokenListResponse,
  type ApiTokenScope,
  type ApiTokenResponse,
  type CreatedApiTokenResponse,
} from '@texttune/contracts';
import { createHash, randomBytes } from 'node:crypto';
import type { ApiTokenCheck } from '../auth/api-token-check';
import { AuthCache, callerFromRow } from '../auth/auth-cache';
import type { Authenticated, AuthUser } from '../auth/auth-user';
import type { OwnedTarget } from '../auth/owned-lookup';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/uuid';
import type { ApiTokenEntity } from './api-token.entity';
import { ApiTokenRepository } from './api-token.repository';

/** `ttk_` + 32 random bytes in base64url (43 characters). */
const TOKEN_SHAPE = new RegExp(`^${API_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);
/** Characters of the secret kept in clear (with the prefix) to recognise a token in lists. */
const SHOWN_CHARS = 8;
/**
 * last_used_at is written at most this often per token (a write per request would cost
 * more than the lookup); while AuthCache holds the token, at its next lookup, so within
 * AUTH_CACHE_SECONDS more.
 */
const LAST_USED_GRANULARITY = '1 minute';

export const hashApiToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Whether an `Authorization: Bearer` value is meant as a personal API token (not a session JWT). */
export const looksLikeApiToken = (bearer: string) => bearer.startsWith(API_TOKEN_PREFIX);

/**
 * Personal API tokens: random secrets shown once; only their SHA-256 is stored (a
 * 256-bit random secret needs no slow hash), and a request authenticates with one
 * indexed lookup by that hash, kept in memory until the token or its account changes
 * ({@link AuthCache}). Revocation, expiry and disabling the account take effect at the
 * next request.
 */
@Injectable()
export class TokensService implements ApiTokenCheck {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly cache: AuthCache,
  ) {}

  isApiToken(bearer: string): boolean {
    return looksLikeApiToken(bearer);
  }

  /**
   * The caller a token belongs to, or null when it is unknown, revoked, expired or its
   * account is disabled; with a `target`, also the route's resource. Unless {@link AuthCache}
   * holds the answer, one statement: the lookup by hash (unique index), and a last-used
   * stamp when the previous one is over a minute old.
   */
  async authenticate(token: string, target?: OwnedTarget): Promise<Authenticated | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const hash = hashApiToken(token);
    return this.cache.authenticate(`token:${hash.toString('base64')}`, target, async () => {
      const row = await this.tokens.liveCaller(hash, LAST_USED_GRANULARITY, target);
      return row ? callerFromRow(row, { tokenId: row.token_id, tokenScopes: Object.freeze([...row.token_scopes]) }, target) : null;
    });
  }

  /**
   * A new token with `scopes` (by default all but `admin`, and when a token creates it,
   * only those the creating token holds). `admin` needs the admin role; a token cannot
   * grant a scope it does not hold.
   */
  async create(user: AuthUser, name: string, expiresInDays = API_TOKEN_DEFAULT_DAYS, requested?: readonly ApiTokenScope[]): Promise<CreatedApiTokenResponse> {
    if (user.isGuest) throw new ApiError(403, 'forbidden', 'Guest accounts cannot create API tokens; register an account first.');
    const scopes = TokensService.grantedScopes(user, requested);
    const live = await this.tokens.countLive(user.id);
    if (live >= API_TOKENS_PER_USER_MAX) {
      throw new ApiError(409, 'conflict', `You already have ${live} API tokens (the limit is ${API_TOKENS_PER_USER_MAX}); revoke one you no longer use.`, { limit: API_TOKENS_PER_USER_MAX });
    }
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const saved = await this.tokens.issue({
      userId: user.id,
      name: name.trim(),
      tokenHash: hashApiToken(token),
      prefix: token.slice(0, API_TOKEN_PREFIX.length + SHOWN_CHARS),
      expiresAt: new Date(Date.now() + expiresInDays * 86_400_000),
      scopes,
    });
    return { ...TokensService.toResponse(saved), token };
  }

  /** The user's tokens that are not revoked (expired ones included, marked), newest first. */
  async list(user: AuthUser): Promise<ApiTokenListResponse> {
    const rows = await this.tokens.listLive(user.id);
    return { items: rows.map((row) => TokensService.toResponse(row)) };
  }

  /** Revokes one of the user's tokens: it stops working at once. 404 for anyone else's. */
  async revoke(user: AuthUser, id: string): Promise<void> {
    if (!isUuid(id) || !(await this.tokens.revoke(user.id, id))) throw new ApiError(404, 'not_found', 'There is no such API token in your account.');
  }

  /** The scopes `user` asks for (or the default), in API_TOKEN_SCOPES order; refused when they exceed what the caller may grant. */
  static grantedScopes(user: AuthUser, requested: readonly ApiTokenScope[] | undefined): ApiTokenScope[] {
    const held = user.tokenScopes;
    const wanted = requested ?? API_TOKEN_DEFAULT_SCOPES.filter((scope) => !held || held.includes(scope));
    const scopes = API_TOKEN_SCOPES.filter((scope) => wanted.includes(scope));
    if (scopes.includes('admin') && user.role !== 'admin') {
      throw new ApiError(403, 'scope_not_grantable', 'Only administrators can create tokens with the "admin" scope; leave it out.', { scope: 'admin' });
    }
    const beyond = held && scopes.find((scope) => !held.includes(scope));
    if (beyond) {
      throw new ApiError(403, 'insufficient_scope', `This API token cannot create a token with the "${beyond}" scope, as it does not hold it; ask for fewer scopes, or create the token from a session.`, { required_scope: beyond });
    }
    if (!scopes.length) throw new ApiError(400, 'validation_failed', 'A token needs at least one scope.', { fields: { scopes: ['scopes must name at least one scope'] } });
    return scopes;
  }

  static toResponse(row: ApiTokenEntity): ApiTokenResponse {
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      expired: row.expiresAt.getTime() <= Date.now(),
      scopes: API_TOKEN_SCOPES.filter((scope) => row.scopes.includes(scope)),
    };
  }
}
