import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/openapi';
import { IDEMPOTENT_OPTIONS, IdempotencyInterceptor, type IdempotentOptions } from './idempotency.interceptor';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key';

/**
 * Makes a signed-in JSON `POST` route honour an `Idempotency-Key` header
 * (IdempotencyInterceptor) and documents the header and its errors. The route's errors
 * must happen before its effect: a failed request frees the key, so its retry runs anew.
 * The header has no example: Swagger UI would prefill it, and "Try it out" with another
 * body from the examples menu would then reuse the key (422).
 * The interceptor is attached per route, not globally: any interceptor on an `@Sse()`
 * route would start the event stream before the handler's own 404 could answer.
 */
export function Idempotent(options: IdempotentOptions = {}): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    applyDecorators(
      SetMetadata(IDEMPOTENT_OPTIONS, options),
      UseInterceptors(IdempotencyInterceptor),
      ApiHeader({
        name: IDEMPOTENCY_KEY_HEADER,
        required: false,
        description:
          `A key of your choosing (1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters; a UUID is best; a quoted Structured Field string works too) that makes retrying safe. ` +
          `Within the key's lifetime (IDEMPOTENCY_KEY_TTL_HOURS, 24 h by default) a request with the same key, method, path and JSON body gets the first successful response again ` +
          `(same status and body, header \`${IDEMPOTENT_REPLAYED_HEADER}: true\`) without doing anything twice. Keys are per account. ` +
          'A failed request (any error status) frees its key, so a retry runs as a new request.',
        schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
      }),
      ApiResponse({ status: 409, description: '`idempotency_key_in_use`: the first request with this Idempotency-Key is still being processed; retry after `Retry-After` seconds.', type: ErrorResponseDto }),
      ApiResponse({ status: 422, description: '`idempotency_key_reused`: this Idempotency-Key was used for a different request (another body or endpoint); use a new key.', type: ErrorResponseDto }),
    )(target, propertyKey, descriptor);
  };
}
