import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { ResponseSealer } from './response-sealer';

/**
 * How long a request may hold its key before the key counts as abandoned (the process
 * died mid-request) and a retry may take it over. The guarded endpoints answer in well
 * under a second; the margin keeps a slow database from letting a retry in while the
 * first request is still running.
 */
export const IDEMPOTENCY_LOCK_SECONDS = 60;
const PURGE_BATCH = 1000;
/** Claim attempts when the key's row disappears between statements (its request failed and released it). */
const CLAIM_ATTEMPTS = 3;

export interface IdempotentRequest {
  userId: string;
  key: string;
  method: string;
  path: string;
  fingerprint: Buffer;
}

export type Claim =
  /** This request holds the key: run it, then `complete` or `release` with the lock. */
  | { kind: 'owner'; lock: string }
  /** The key's request completed: answer its stored response. */
  | { kind: 'replay'; status: number; body: unknown }
  /** The key was used with another method, path or body. */
  | { kind: 'reused'; method: string; path: string }
  /** The key's first request is still being processed. */
  | { kind: 'in_use'; retryAfterSeconds: number };

/**
 * Idempotency keys. A request claims its key by inserting its row first: of several
 * concurrent requests with one key exactly one inserts it, and the others find the row.
 * A claimed row carries a random lock token; the owner later stores its response in the
 * row (`complete`) or deletes it (`release`), both only while it still holds the token.
 */
@Injectable()
export class IdempotencyStore implements BeforeApplicationShutdown {
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sealer: ResponseSealer,
    private readonly keys: IdempotencyKeyRepository,
  ) {}

  private get ttlSeconds(): number {
    return this.config.idempotency.ttlHours * 3600;
  }

  async claim(request: IdempotentRequest): Promise<Claim> {
    const { userId, key, method, path, fingerprint } = request;
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const lock = randomUUID();
      const claim = { userId, key, method, path, fingerprint, lock, ttlSeconds: this.ttlSeconds };
      if (await this.keys.insert(claim)) return { kind: 'owner', lock };

      // An expired key starts afresh, whatever it was used for; a key whose request was
      // abandoned (no answer within the lock time) goes to a retry of that same request.
      // One of several such retries takes it.
      if (await this.keys.takeOver(claim, IDEMPOTENCY_LOCK_SECONDS)) return { kind: 'owner', lock };

      const row = await this.keys.find(userId, key, IDEMPOTENCY_LOCK_SECONDS);
      if (!row) continue; // released by its failed request just now: claim it again
      if (!row.fingerprint.equals(fingerprint)) return { kind: 'reused', method: row.method, path: row.path };
      if (row.response_status !== null) {
        const json = row.response_body !== null && row.response_sealed ? this.sealer.open(row.response_body, userId, key) : row.response_body;
        if (row.response_body !== null && json === null) {
          // Sealed under a server key since rotated: the response cannot be given again, so
          // the key starts afresh, as an expired one does.
          await this.keys.forgetCompleted(userId, key);
          continue;
        }
        return { kind: 'replay', status: row.response_status, body: json === null ? undefined : (JSON.parse(json) as unknown) };
      }
      return { kind: 'in_use', retryAfterSeconds: Math.max(1, Math.min(row.lock_seconds_left ?? 1, 5)) };
    }
    return { kind: 'in_use', retryAfterSeconds: 1 };
  }

  /**
   * Stores the response of the request holding `lock`; later requests with the key replay
   * it. With `sealFor` (the request's account and key), the body is stored encrypted
   * (ResponseSealer).
   */
  async complete(lock: string, status: number, body: unknown, sealFor?: { userId: string; key: string }): Promise<void> {
    const json = body === undefined ? null : JSON.stringify(body);
    const stored = json !== null && sealFor ? this.sealer.seal(json, sealFor.userId, sealFor.key) : json;
    await this.keys.complete(lock, { status, body: stored, sealed: stored !== null && sealFor !== undefined });
  }

  /** Frees the key of a request that failed: a retry with it runs as a new request. */
  async release(lock: string): Promise<void> {
    await this.keys.release(lock);
  }

  /** Deletes expired keys (in batches); resolves with how many. Claiming also starts an expired key afresh. */
  async purgeExpired(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.keys.purgeExpired(PURGE_BATCH);
      total += deleted;
      if (deleted < PURGE_BATCH || this.stopping) return total;
    }
  }

  /** A purge under way stops after its current batch. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
  }
}
