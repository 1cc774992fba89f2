import { Module } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { Redis } from 'ioredis';
import { connectRedis } from '../common/redis-connection';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import {
  AccountSignInThrottle,
  ATTEMPT_COUNTER,
  GuardedThrottlerStorage,
  MemoryAttemptCounter,
  RedisAttemptCounter,
  SIGN_IN_REDIS,
  SIGN_IN_REQUEST_STORAGE,
  SignInRedisCloser,
} from './sign-in-throttle';

/**
 * Where sign-in attempts are counted: Redis when REDIS_URL is set (every API process
 * sees every attempt), this process's memory otherwise. Feeds both the per-address limit
 * (@nestjs/throttler, configured in AuthModule) and the per-account one.
 */
@Module({
  providers: [
    {
      provide: SIGN_IN_REDIS,
      inject: [APP_CONFIG],
      // Few retries: a sign-in waiting on an unreachable Redis answers 503 soon rather than hanging.
      useFactory: (config: AppConfig): Redis | null => config.redisUrl ? connectRedis(config.redisUrl, { keyPrefix: `${config.redisPrefix}:sign-in:`, maxRetriesPerRequest: 1 }, 'sign-in throttle') : null,
    },
    SignInRedisCloser,
    {
      provide: ATTEMPT_COUNTER,
      inject: [SIGN_IN_REDIS],
      useFactory: (redis: Redis | null) => (redis ? new RedisAttemptCounter(redis) : new MemoryAttemptCounter()),
    },
    {
      provide: SIGN_IN_REQUEST_STORAGE,
      inject: [SIGN_IN_REDIS],
      useFactory: (redis: Redis | null) => (redis ? new GuardedThrottlerStorage(new ThrottlerStorageRedisService(redis)) : null),
    },
    AccountSignInThrottle,
  ],
  exports: [AccountSignInThrottle, SIGN_IN_REQUEST_STORAGE],
})
export class SignInThrottleModule {}
