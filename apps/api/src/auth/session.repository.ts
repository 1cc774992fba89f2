import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Sql } from '../database/sql';
import type { AuthenticatingRow } from './auth-user';
import { OWNED_PREFIX, type OwnedLookup, type OwnedTarget } from './owned-lookup';
import { SessionEntity } from './session.entity';

/**
 * The users columns an authenticated request needs, selected (as `u`) by the statement
 * that authenticates it, whether by session or by API token.
 */
export const AUTH_USER_COLUMNS = 'u.id, u.email, u.display_name, u.role, u.is_guest, u.created_at, u.quota_daily_seconds, u.quota_max_active_jobs';

/**
 * An authenticating statement and its variants that also read a route's resource, joined
 * to the caller's account (`userId` names its id column): a row of another user, like a
 * missing one, comes back as NULL columns. Each text is built once per lookup; the
 * variant takes the target's id as the value after the caller's.
 */
export class CallerStatements {
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly userId: string,
    private readonly build: (owned: { columns: string; join: string }) => string,
  ) {}

  for(target: OwnedTarget | undefined, values: unknown[]): [string, unknown[]] {
    if (!target) return [this.text(), values];
    return [this.text(target.lookup, values.length + 1), [...values, target.id]];
  }

  private text(lookup?: OwnedLookup<unknown>, n = 0): string {
    const key = lookup?.name ?? '';
    let text = this.texts.get(key);
    if (text === undefined) {
      const columns = lookup ? `, ${lookup.columns.map((column) => `r.${column} AS "${OWNED_PREFIX}${column}"`).join(', ')}` : '';
      const join = lookup ? `LEFT JOIN ${lookup.table} r ON r.id = $${n} AND r.user_id = ${this.userId}` : '';
      this.texts.set(key, (text = this.build({ columns, join })));
    }
    return text;
  }
}

/** The session check: the caller by session and account, optionally with the route's resource. */
const LIVE_SESSION = new CallerStatements(
  'u.id',
  ({ columns, join }) => `SELECT ${AUTH_USER_COLUMNS}, s.expires_at AS caller_expires_at${columns}
     FROM sessions s JOIN users u ON u.id = s.user_id ${join}
     WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
);

export interface NewSession {
  userId: string;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  idToken: string | null;
}

/** Server-side sign-in sessions (`sessions`). */
@Injectable()
export class SessionRepository {
  constructor(
    private readonly sql: Sql,
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
  ) {}

  open(fields: NewSession): Promise<SessionEntity> {
    return this.sessions.save(this.sessions.create(fields));
  }

  /**
   * The caller of a live session (`sid` of account `sub`: neither revoked nor expired, the
   * account enabled), with the `target` resource's columns when there is one.
   */
  liveCaller(sid: string, sub: string, target?: OwnedTarget): Promise<AuthenticatingRow | undefined> {
    return this.sql.one<AuthenticatingRow>(...LIVE_SESSION.for(target, [sid, sub]));
  }

  /** Ends a session; its ID token when it was live and had one (undefined when it was not live). */
  async revoke(id: string): Promise<{ idToken: string | null } | undefined> {
    const row = await this.sql.one<{ id_token: string | null }>(`UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id_token`, [id]);
    return row && { idToken: row.id_token };
  }

  /** Ends every live session of an account; how many there were. */
  revokeAllOf(userId: string, tx: Sql = this.sql): Promise<number> {
    return tx.run(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  }
}
