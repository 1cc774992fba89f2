import { HttpException } from '@nestjs/common';
import type { ErrorCode } from '@texttune/contracts';

/**
 * An error a client can meet: HTTP status, stable `code`, a sentence a person can act
 * on, and optional structured `details`. Rendered by {@link ApiExceptionFilter}.
 */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super({ code, message, details }, status);
  }
}
