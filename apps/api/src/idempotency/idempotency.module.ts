import { Global, Module } from '@nestjs/common';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { IdempotencyStore } from './idempotency.store';
import { ResponseSealer } from './response-sealer';

/**
 * `Idempotency-Key` for the routes marked `@Idempotent()`, and the purge of expired keys.
 * Global, so that the interceptor `@Idempotent()` attaches to a route can be built (with
 * the store) in whichever module the route's controller lives.
 */
@Global()
@Module({
  providers: [IdempotencyStore, ResponseSealer, IdempotencyKeyRepository],
  exports: [IdempotencyStore],
})
export class IdempotencyModule {}
