import { Redis } from 'ioredis';
import net from 'node:net';
import { ApiError } from '../common/api-error';
import { loadConfig } from '../config/app-config';
import { AccountSignInThrottle, MemoryAttemptCounter, RedisAttemptCounter } from './sign-in-throttle';

describe('MemoryAttemptCounter', () => {
  it('counts attempts per key in a window that later attempts do not extend, and forgets a key on reset', async () => {
    const counter = new MemoryAttemptCounter();
    const first = await counter.hit('a', 60_000);
    expect(first.attempts).toBe(1);
    expect(first.resetsInMs).toBeGreaterThan(0);
    expect(first.resetsInMs).toBeLessThanOrEqual(60_000);
    const second = await counter.hit('a', 60_000);
    expect(second.attempts).toBe(2);
    expect(second.resetsInMs).toBeLessThanOrEqual(first.resetsInMs);
    expect((await counter.hit('b', 60_000)).attempts).toBe(1);
    await counter.reset('a');
    expect((await counter.hit('a', 60_000)).attempts).toBe(1);
  });
});

describe('AccountSignInThrottle', () => {
  const throttle = (env: Record<string, string>) => new AccountSignInThrottle(new MemoryAttemptCounter(), loadConfig(env));
  const refusal = (promise: Promise<void>) => promise.then(() => null, (error: unknown) => error);

  it('refuses the attempt after the limit with 429 rate_limited and Retry-After, for any spelling of the email', async () => {
    const limited = throttle({ AUTH_ACCOUNT_LOCKOUT_ATTEMPTS: '2', AUTH_ACCOUNT_LOCKOUT_MINUTES: '15' });
    await limited.admit('someone@example.com');
    await limited.admit(' Someone@EXAMPLE.com');
    const error = await refusal(limited.admit('someone@example.com'));
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.getStatus()).toBe(429);
    expect(apiError.code).toBe('rate_limited');
    expect(apiError.message).toBe('Too many sign-in attempts for this account; wait 15 minutes and try again.');
    expect(Number(apiError.headers?.['Retry-After'])).toBe(apiError.details?.retryAfterSeconds);
    await limited.succeeded('SOMEONE@example.com');
    await expect(limited.admit('someone@example.com')).resolves.toBeUndefined();
  });

  it('counts nothing when AUTH_ACCOUNT_LOCKOUT_ATTEMPTS is 0', async () => {
    const off = throttle({ AUTH_ACCOUNT_LOCKOUT_ATTEMPTS: '0' });
    for (let i = 0; i < 50; i++) await off.admit('someone@example.com');
    await expect(off.admit('someone@example.com')).resolves.toBeUndefined();
  });
});

describe('RedisAttemptCounter', () => {
  it('answers 503 not_ready with Retry-After, not a 500, while Redis cannot be reached', async () => {
    // A port that was just free: nothing listens there.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const redis = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true, disconnectTimeout: 10 });
    redis.on('error', () => undefined);
    try {
      const error = await new RedisAttemptCounter(redis).hit('account:x', 60_000).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).getStatus()).toBe(503);
      expect((error as ApiError).code).toBe('not_ready');
      expect((error as ApiError).headers).toEqual({ 'Retry-After': '30' });
    } finally {
      redis.disconnect();
    }
  });
});
