import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';

/** Errors raised by Express' body parser before any controller runs. */
interface BodyParserError {
  type: string;
  status: number;
  limit?: number;
}

const isBodyParserError = (e: unknown): e is BodyParserError =>
  typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string' && typeof (e as { status?: unknown }).status === 'number';

function toApiError(error: BodyParserError): ApiError {
  switch (error.type) {
    case 'entity.too.large':
      return new ApiError(413, 'payload_too_large', `The request body is larger than the limit of ${error.limit ?? 'this server'} bytes.`);
    case 'entity.parse.failed':
      return new ApiError(400, 'bad_request', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(400, 'bad_request', 'The request body uses an encoding this server does not read; send UTF-8 JSON.');
    default:
      return new ApiError(400, 'bad_request', 'The request body could not be read.');
  }
}

/**
 * Express error middleware placed right after the body parser: turns its errors into
 * {@link ApiError}s (otherwise Nest passes the JSON parser's own message through).
 */
export function bodyParserErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  next(isBodyParserError(error) ? toApiError(error) : error);
}
