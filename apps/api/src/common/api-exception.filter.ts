import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { ErrorCode, ErrorResponse } from '@texttune/contracts';
import type { Request, Response } from 'express';
import { ApiError } from './api-error';
import { concurrentChange } from './database-conflict';
import { isDatabaseOutage } from './database-outage';

/** Seconds a client is asked to wait when the database is unreachable. */
const DATABASE_RETRY_SECONDS = 30;

const databaseUnavailable = () =>
  new ApiError(503, 'database_unavailable', 'The database cannot be reached right now; try again in a minute. If it lasts, tell an administrator.', undefined, {
    'Retry-After': String(DATABASE_RETRY_SECONDS),
  });

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'rate_limited',
  503: 'not_ready',
};

const DEFAULT_MESSAGES: Partial<Record<ErrorCode, string>> = {
  unauthorized: 'Sign in first: send the session cookie or an Authorization: Bearer token.',
  forbidden: 'You do not have permission to do this.',
  not_found: 'Nothing exists at this address.',
  rate_limited: 'Too many requests; wait a little and try again.',
  payload_too_large: 'The request body is too large.',
};

const changedMeanwhile = () =>
  new ApiError(409, 'conflict', 'Something this request refers to was changed by another request at the same moment (created or deleted meanwhile); reload and try again.');

/** Renders every error as one JSON shape: `{ statusCode, code, message, details?, requestId }`. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(thrown: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request & { id?: string }>();
    const outage = isDatabaseOutage(thrown);
    const conflict = outage ? null : concurrentChange(thrown);
    const exception = outage ? databaseUnavailable() : conflict ? changedMeanwhile() : thrown;
    const body = this.toBody(exception);
    if (outage) {
      this.logger.error({ path: req.path, reason: (thrown as Error).message }, 'database unreachable');
    } else if (conflict) {
      // Kept in sight: a constraint a route does not check first would show up here too.
      this.logger.warn({ path: req.path, constraint: conflict }, 'write refused by a constraint after a concurrent change');
    } else if (body.statusCode >= 500 && body.code !== 'not_ready') {
      this.logger.error({ err: exception, path: req.path }, 'unhandled error');
    }
    body.requestId = typeof req.id === 'string' ? req.id : undefined;
    if (res.headersSent) {
      res.end();
      return;
    }
    if (exception instanceof ApiError && exception.headers) {
      for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
    }
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorResponse {
    if (exception instanceof ApiError) {
      return { statusCode: exception.getStatus(), code: exception.code, message: exception.message, ...(exception.details ? { details: exception.details } : {}) };
    }
    if (exception instanceof ThrottlerException) {
      return { statusCode: 429, code: 'rate_limited', message: 'Too many sign-in attempts from this address; wait a minute and try again.' };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
      const response = exception.getResponse();
      if (status === 503 && typeof response === 'object' && response !== null && 'status' in response) {
        // @nestjs/terminus: the health check result names the failing parts.
        return { statusCode: 503, code: 'not_ready', message: `Not ready: ${Object.keys((response as { error?: object }).error ?? {}).join(', ') || 'a dependency is down'}.`, details: response };
      }
      const message = DEFAULT_MESSAGES[code] ?? (typeof response === 'string' ? response : exception.message);
      return { statusCode: status, code, message };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'internal_error', message: 'Something went wrong on our side; the error was logged. Try again, and tell an administrator if it keeps happening.' };
  }
}
