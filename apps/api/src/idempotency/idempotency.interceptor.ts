import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, concatMap, from, of, throwError, type Observable } from 'rxjs';
import type { AuthUser } from '../auth/auth-user';
import { ApiError } from '../common/api-error';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, parseIdempotencyKey, requestFingerprint } from './idempotency-key';
import { IdempotencyStore } from './idempotency.store';

export const IDEMPOTENT_OPTIONS = 'texttune:idempotent';

export interface IdempotentOptions {
  /** The response shows a secret once (a webhook's signing secret): store it encrypted. */
  sealResponse?: boolean;
}

/**
 * `Idempotency-Key` for the routes marked `@Idempotent()`, which attaches this interceptor
 * (draft-ietf-httpapi-idempotency-key-header).
 * Without the header a request runs as usual. With it, the request first claims the key
 * for its account (IdempotencyStore); then:
 * - first use: the route runs; a successful response is stored with the key, an error
 *   frees the key (the guarded routes fail before their effect, so a retry is as safe as a
 *   replay and gets today's answer rather than a stale error);
 * - same method, path and canonical JSON body after success: the stored status and body,
 *   with `Idempotent-Replayed: true`, and the route does not run;
 * - another method, path or body: 422 `idempotency_key_reused`;
 * - while the first request runs: 409 `idempotency_key_in_use` with Retry-After. A
 *   request whose process died keeps its key for IDEMPOTENCY_LOCK_SECONDS, then a retry
 *   of it takes the key over.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyStore,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { user?: AuthUser }>();
    const res = http.getResponse<Response>();
    const header = req.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
    if (header === undefined) return next.handle();
    const key = parseIdempotencyKey(header);
    if (!req.user) throw new Error(`@Idempotent() on ${req.method} ${req.path} needs a signed-in route: keys belong to an account`);

    const claim = await this.store.claim({ userId: req.user.id, key, method: req.method, path: req.path, fingerprint: requestFingerprint(req.method, req.path, req.body) });
    switch (claim.kind) {
      case 'replay':
        res.status(claim.status);
        res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
        return of(claim.body);
      case 'reused':
        throw new ApiError(
          422,
          'idempotency_key_reused',
          `This ${IDEMPOTENCY_KEY_HEADER} was already used for a different request (${claim.method} ${claim.path} with another body); send a new key for a new request.`,
          { key, method: claim.method, path: claim.path },
        );
      case 'in_use':
        throw new ApiError(
          409,
          'idempotency_key_in_use',
          `A request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed; retry in ${claim.retryAfterSeconds} second${claim.retryAfterSeconds === 1 ? '' : 's'} to get its response.`,
          { key, retry_after_seconds: claim.retryAfterSeconds },
          { 'Retry-After': String(claim.retryAfterSeconds) },
        );
    }

    // Nest sets the route's status after the interceptors: @HttpCode, else 201 for POST.
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? 201 : 200);
    const { lock } = claim;
    const sealFor = this.reflector.get<IdempotentOptions | undefined>(IDEMPOTENT_OPTIONS, context.getHandler())?.sealResponse ? { userId: req.user.id, key } : undefined;
    return next.handle().pipe(
      concatMap(async (body: unknown) => {
        // The effect has happened: answer it even when storing the response fails (the
        // key then stays locked until IDEMPOTENCY_LOCK_SECONDS pass).
        await this.store.complete(lock, status, body, sealFor).catch((error: Error) => this.logger.error(`could not store the response for an idempotency key: ${error.message}`));
        return body;
      }),
      catchError((error: unknown) =>
        from(this.store.release(lock).catch((releaseError: Error) => this.logger.error(`could not free an idempotency key: ${releaseError.message}`))).pipe(
          concatMap(() => throwError(() => error)),
        ),
      ),
    );
  }
}
