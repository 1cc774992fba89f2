import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
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
import { IsNull, type Repository } from 'typeorm';
import type { ApiTokenCheck } from '../auth/api-token-check';
import { AuthCache, loadedCaller } from '../auth/auth-cache';
import { AUTH_USER_COLUMNS, type Authenticated, type AuthenticatingRow, type AuthUser } from '../auth/auth-user';
import { ownedColumns, ownedJoin, OwnedStatements, type OwnedLookup, type OwnedTarget } from '../auth/owned-lookup';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/cursor';
import { queryNamed, type NamedStatement } from '../database/named-statement';
import { ApiTokenEntity } from './api-token.entity';

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

/**
 * The lookup of every request made with a token, and the last-used stamp when the
 * previous one is over a minute old; optionally reading the route's resource ($2) in the
 * same trip.
 */
const liveToken = (lookup?: OwnedLookup<unknown>): NamedStatement => ({
  name: lookup ? `tokens_live_token_${lookup.name}` : 'tokens_live_token',
  text: `WITH t AS (
           SELECT t.id AS token_id, t.scopes AS token_scopes, t.last_used_at, t.expires_at AS caller_expires_at, ${AUTH_USER_COLUMNS}
           FROM api_tokens t JOIN users u ON u.id = t.user_id
           WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL
         ), touched AS (
           UPDATE api_tokens SET last_used_at = now()
           WHERE id = (SELECT token_id FROM t WHERE last_used_at IS NULL OR last_used_at < now() - interval '${LAST_USED_GRANULARITY}')
         )
         SELECT t.*${lookup ? `, ${ownedColumns(lookup)}` : ''} FROM t ${lookup ? ownedJoin(lookup, 2, 't.id') : ''}`,
});
const LIVE_TOKEN = new OwnedStatements(liveToken);

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
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
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
      const [row] = await queryNamed<AuthenticatingRow & { token_id: string; token_scopes: ApiTokenScope[] }>(this.tokens.manager.connection, ...LIVE_TOKEN.for(target, [hash]));
      return row ? loadedCaller(row, { tokenId: row.token_id, tokenScopes: Object.freeze([...row.token_scopes]) }, target) : null;
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
    const live = await this.tokens.count({ where: { userId: user.id, revokedAt: IsNull() } });
    if (live >= API_TOKENS_PER_USER_MAX) {
      throw new ApiError(409, 'conflict', `You already have ${live} API tokens (the limit is ${API_TOKENS_PER_USER_MAX}); revoke one you no longer use.`, { limit: API_TOKENS_PER_USER_MAX });
    }
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const saved = await this.tokens.save(
      this.tokens.create({
        userId: user.id,
        name: name.trim(),
        tokenHash: hashApiToken(token),
        prefix: token.slice(0, API_TOKEN_PREFIX.length + SHOWN_CHARS),
        expiresAt: new Date(Date.now() + expiresInDays * 86_400_000),
        scopes,
      }),
    );
    return { ...TokensService.toResponse(saved), token };
  }

  /** The user's tokens that are not revoked (expired ones included, marked), newest first. */
  async list(user: AuthUser): Promise<ApiTokenListResponse> {
    const rows = await this.tokens.find({ where: { userId: user.id, revokedAt: IsNull() }, order: { createdAt: 'DESC', id: 'DESC' } });
    return { items: rows.map((row) => TokensService.toResponse(row)) };
  }

  /** Revokes one of the user's tokens: it stops working at once. 404 for anyone else's. */
  async revoke(user: AuthUser, id: string): Promise<void> {
    const result = isUuid(id) ? await this.tokens.update({ id, userId: user.id, revokedAt: IsNull() }, { revokedAt: new Date() }) : { affected: 0 };
    if (!result.affected) throw new ApiError(404, 'not_found', 'There is no such API token in your account.');
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
