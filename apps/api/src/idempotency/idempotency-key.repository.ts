import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql';

/** A key's row as a later request with the same key finds it. */
export interface IdempotencyKeyRow {
  method: string;
  path: string;
  fingerprint: Buffer;
  response_status: number | null;
  response_body: string | null;
  response_sealed: boolean;
  /** seconds until its lock counts as abandoned; null when no request holds it */
  lock_seconds_left: number | null;
}

export interface KeyClaim {
  userId: string;
  key: string;
  method: string;
  path: string;
  fingerprint: Buffer;
  /** the random token that marks the holder of the key */
  lock: string;
  /** how long the key is kept */
  ttlSeconds: number;
}

/**
 * Idempotency keys (`idempotency_keys`), unique per (user, key). A claimed row carries a
 * random lock token; only the holder of that token stores a response in it or frees it.
 */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(private readonly sql: Sql) {}

  /** Inserts the key held by `lock`; false when the user's key exists already (concurrent inserts: one wins). */
  async insert(claim: KeyClaim): Promise<boolean> {
    const row = await this.sql.one(
      `INSERT INTO idempotency_keys (user_id, key, method, path, fingerprint, lock_token, locked_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now(), now() + make_interval(secs => $7))
       ON CONFLICT (user_id, key) DO NOTHING
       RETURNING id`,
      [claim.userId, claim.key, claim.method, claim.path, claim.fingerprint, claim.lock, claim.ttlSeconds],
    );
    return row !== undefined;
  }

  /**
   * Takes the key over for a new request when it has expired (whatever it was used for),
   * or when its request was abandoned (held longer than `abandonedAfterSeconds`) and this
   * is a retry with the same fingerprint; the row lock lets one of several retries win.
   */
  async takeOver(claim: KeyClaim, abandonedAfterSeconds: number): Promise<boolean> {
    const updated = await this.sql.run(
      `UPDATE idempotency_keys
          SET method = $3, path = $4, fingerprint = $5, lock_token = $6, locked_at = now(),
              response_status = NULL, response_body = NULL, response_sealed = false, created_at = now(), expires_at = now() + make_interval(secs => $7)
        WHERE user_id = $1 AND key = $2
          AND (expires_at <= now() OR (lock_token IS NOT NULL AND fingerprint = $5 AND locked_at <= now() - make_interval(secs => $8)))`,
      [claim.userId, claim.key, claim.method, claim.path, claim.fingerprint, claim.lock, claim.ttlSeconds, abandonedAfterSeconds],
    );
    return updated > 0;
  }

  /** The user's key as it stands, with the seconds its lock has left out of `lockSeconds`. */
  find(userId: string, key: string, lockSeconds: number): Promise<IdempotencyKeyRow | undefined> {
    return this.sql.one<IdempotencyKeyRow>(
      `SELECT method, path, fingerprint, response_status, response_body, response_sealed,
              CASE WHEN lock_token IS NOT NULL THEN ceil(extract(epoch FROM locked_at + make_interval(secs => $3) - now()))::int END AS lock_seconds_left
         FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key, lockSeconds],
    );
  }

  /** Deletes a completed key (nobody holds it), so that it starts afresh. */
  async forgetCompleted(userId: string, key: string): Promise<void> {
    await this.sql.run(`DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND lock_token IS NULL`, [userId, key]);
  }

  /** Stores the response of the request holding `lock`, and frees the key for replays. */
  async complete(lock: string, response: { status: number; body: string | null; sealed: boolean }): Promise<void> {
    await this.sql.run(`UPDATE idempotency_keys SET response_status = $2, response_body = $3, response_sealed = $4, lock_token = NULL WHERE lock_token = $1`, [
      lock,
      response.status,
      response.body,
      response.sealed,
    ]);
  }

  /** Deletes the key held by `lock` (its request failed). */
  async release(lock: string): Promise<void> {
    await this.sql.run(`DELETE FROM idempotency_keys WHERE lock_token = $1`, [lock]);
  }

  /** Deletes up to `batch` expired keys that no one is changing; how many. */
  purgeExpired(batch: number): Promise<number> {
    return this.sql.run(`DELETE FROM idempotency_keys WHERE id IN (SELECT id FROM idempotency_keys WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)`, [batch]);
  }
}
