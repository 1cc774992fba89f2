import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ApiTokenScope } from '@texttune/contracts';
import { IsNull, type Repository } from 'typeorm';
import type { AuthenticatingRow } from '../auth/auth-user';
import type { OwnedTarget } from '../auth/owned-lookup';
import { AUTH_USER_COLUMNS, CallerStatements } from '../auth/session.repository';
import { Sql } from '../database/sql';
import { ApiTokenEntity } from './api-token.entity';

/** An authenticating row of a token: the caller, and the token's id and scopes. */
export type TokenCallerRow = AuthenticatingRow & { token_id: string; token_scopes: ApiTokenScope[] };

/**
 * The lookup of every request made with a token, and the last-used stamp when the
 * previous one is older than $2 (a write per request would cost more than the lookup);
 * optionally reading the route's resource in the same trip.
 */
const LIVE_TOKEN = new CallerStatements(
  't.id',
  ({ columns, join }) => `WITH t AS (
       SELECT t.id AS token_id, t.scopes AS token_scopes, t.last_used_at, t.expires_at AS caller_expires_at, ${AUTH_USER_COLUMNS}
       FROM api_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL
     ), touched AS (
       UPDATE api_tokens SET last_used_at = now()
       WHERE id = (SELECT token_id FROM t WHERE last_used_at IS NULL OR last_used_at < now() - $2::interval)
     )
     SELECT t.*${columns} FROM t ${join}`,
);

export interface NewApiToken {
  userId: string;
  name: string;
  tokenHash: Buffer;
  prefix: string;
  expiresAt: Date;
  scopes: ApiTokenScope[];
}

/** Personal API tokens (`api_tokens`), known by the SHA-256 of their secret. */
@Injectable()
export class ApiTokenRepository {
  constructor(
    private readonly sql: Sql,
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
  ) {}

  /**
   * The caller of a live token (neither revoked nor expired, the account enabled), with
   * the `target` resource's columns when there is one; stamps its last use when the
   * previous stamp is older than `stampEvery` (a Postgres interval, e.g. `1 minute`).
   */
  liveCaller(hash: Buffer, stampEvery: string, target?: OwnedTarget): Promise<TokenCallerRow | undefined> {
    return this.sql.one<TokenCallerRow>(...LIVE_TOKEN.for(target, [hash, stampEvery]));
  }

  issue(fields: NewApiToken): Promise<ApiTokenEntity> {
    return this.tokens.save(this.tokens.create(fields));
  }

  countLive(userId: string): Promise<number> {
    return this.tokens.count({ where: { userId, revokedAt: IsNull() } });
  }

  /** An account's tokens that are not revoked (expired ones included), newest first. */
  listLive(userId: string): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** Revokes one of an account's live tokens; false when it has no such token. */
  async revoke(userId: string, id: string): Promise<boolean> {
    return (await this.sql.run(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, [id, userId])) > 0;
  }

  /** Revokes every live token of an account; how many there were. */
  revokeAllOf(userId: string, tx: Sql = this.sql): Promise<number> {
    return tx.run(`UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  }
}
