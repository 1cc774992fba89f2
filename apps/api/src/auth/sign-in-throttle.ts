import { Inject, Injectable, Logger, type ExecutionContext, type OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { ApiError } from '../common/api-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { normalizeEmail } from '../users/users.service';

/** Attempts counted in one fixed window of one key. */
export interface AttemptWindow {
  /** attempts in the current window, the one just counted included */
  attempts: number;
  /** milliseconds until the window ends and the count starts again from zero */
  resetsInMs: number;
}

/**
 * Fixed-window attempt counts by key, shared by every API process when they share the
 * store. The window starts at a key's first attempt and is never extended by later ones.
 */
export interface AttemptCounter {
  /** Counts one attempt on `key` and answers the window's count so far. */
  hit(key: string, windowMs: number): Promise<AttemptWindow>;
  /** Forgets the key's attempts. */
  reset(key: string): Promise<void>;
}

/** Counts in this process's memory (one API process; the embedded default). */
export class MemoryAttemptCounter implements AttemptCounter {
  // Bounded: a flood of distinct keys evicts the least recently counted ones.
  private readonly windows = new LRUCache<string, number>({ max: 100_000 });

  async hit(key: string, windowMs: number): Promise<AttemptWindow> {
    const attempts = (this.windows.get(key) ?? 0) + 1;
    if (attempts === 1) this.windows.set(key, attempts, { ttl: windowMs });
    else this.windows.set(key, attempts, { noUpdateTTL: true });
    return { attempts, resetsInMs: Math.max(0, this.windows.getRemainingTTL(key)) };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }
}

/** One INCR and, for a key's first attempt (or one left without expiry), its PEXPIRE: atomic across processes. */
const HIT_SCRIPT = `
local attempts = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { attempts, ttl }`;

/** Counts in Redis (several API processes share the counts). */
export class RedisAttemptCounter implements AttemptCounter {
  constructor(private readonly redis: Redis) {}

  async hit(key: string, windowMs: number): Promise<AttemptWindow> {
    const result = await storeCall(() => this.redis.eval(HIT_SCRIPT, 1, key, windowMs));
    if (!Array.isArray(result) || typeof result[0] !== 'number' || typeof result[1] !== 'number') {
      throw new Error(`the sign-in attempt script answered ${JSON.stringify(result)}`);
    }
    return { attempts: result[0], resetsInMs: result[1] };
  }

  async reset(key: string): Promise<void> {
    await storeCall(() => this.redis.del(key));
  }
}

/** Seconds a client is asked to wait when the throttle store cannot be reached. */
const STORE_RETRY_SECONDS = 30;
const logger = new Logger('SignInThrottle');

/**
 * Sign-in is refused while its attempts cannot be counted (Redis down): counting nothing
 * would leave passwords open to unlimited guessing.
 */
async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    logger.error({ reason: error instanceof Error ? error.message : String(error) }, 'sign-in attempt counter unreachable');
    throw new ApiError(503, 'not_ready', 'Sign-in is unavailable for a moment: its attempt counter (Redis) cannot be reached. Try again shortly; if it lasts, tell an administrator.', undefined, {
      'Retry-After': String(STORE_RETRY_SECONDS),
    });
  }
}

/** @nestjs/throttler's per-address counts in Redis, answering 503 rather than 500 while Redis is unreachable. */
export class GuardedThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly inner: ThrottlerStorage) {}

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): ReturnType<ThrottlerStorage['increment']> {
    return storeCall(() => this.inner.increment(key, ttl, limit, blockDuration, throttlerName));
  }
}

/**
 * The per-address key of every sign-in route (login, register, guest): one budget per
 * client address across them, so an address throttled for password guessing cannot go
 * on through another sign-in route.
 */
export const signInThrottleKey = (_context: ExecutionContext, tracker: string, throttlerName: string): string => `address:${throttlerName}:${tracker}`;

export const ATTEMPT_COUNTER = Symbol('ATTEMPT_COUNTER');
/** @nestjs/throttler's storage for the per-address limit; null: its in-memory default. */
export const SIGN_IN_REQUEST_STORAGE = Symbol('SIGN_IN_REQUEST_STORAGE');
export const SIGN_IN_REDIS = Symbol('SIGN_IN_REDIS');

/** Closes the throttle's Redis connection (when it has one) with the application. */
export class SignInRedisCloser implements OnModuleDestroy {
  constructor(@Inject(SIGN_IN_REDIS) private readonly redis: Redis | null) {}

  async onModuleDestroy(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

/**
 * Per-account limit on password sign-in: after `AUTH_ACCOUNT_LOCKOUT_ATTEMPTS` attempts
 * on one email within `AUTH_ACCOUNT_LOCKOUT_MINUTES`, from any address, further password
 * attempts on it are refused with 429 until the window ends — a correct password too,
 * since the check comes before the password is verified. A successful sign-in starts the
 * count again. Unknown emails are counted alike, so the answer tells nothing about which
 * accounts exist. Keys are hashes of the normalized email (no email addresses in Redis).
 */
@Injectable()
export class AccountSignInThrottle {
  constructor(
    @Inject(ATTEMPT_COUNTER) private readonly counter: AttemptCounter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts a password attempt on `email`; throws 429 `rate_limited` (with Retry-After) when the account is over its limit. */
  async admit(email: string): Promise<void> {
    const { attempts: limit, windowMinutes } = this.config.auth.accountLockout;
    if (limit === 0) return;
    const window = await this.counter.hit(accountKey(email), windowMinutes * 60_000);
    if (window.attempts <= limit) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(window.resetsInMs / 1000));
    const wait = retryAfterSeconds > 90 ? `${Math.ceil(retryAfterSeconds / 60)} minutes` : `${retryAfterSeconds} seconds`;
    throw new ApiError(429, 'rate_limited', `Too many sign-in attempts for this account; wait ${wait} and try again.`, { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
  }

  /** A correct password: the account's count starts again. */
  async succeeded(email: string): Promise<void> {
    if (this.config.auth.accountLockout.attempts === 0) return;
    await this.counter.reset(accountKey(email));
  }
}

const accountKey = (email: string) => `account:${createHash('sha256').update(normalizeEmail(email)).digest('hex')}`;
