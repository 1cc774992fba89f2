import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';
import { JSON_MAX_DEPTH } from './json-depth';

/**
 * Errors raised by Express' body parser before any controller runs: a `type` naming the
 * problem, or none when the body failed to decompress (zlib's error, given status 400).
 */
interface BodyParserError {
  type?: string;
  status: number;
  limit?: number;
}

const isBodyParserError = (e: unknown): e is BodyParserError => {
  if (typeof e !== 'object' || e === null) return false;
  const { type, status } = e as { type?: unknown; status?: unknown };
  return typeof status === 'number' && (typeof type === 'string' || (type === undefined && status >= 400 && status < 500));
};

function toApiError(error: BodyParserError): ApiError {
  switch (error.type) {
    case 'entity.too.large':
      return new ApiError(413, 'payload_too_large', `The request body is larger than the limit of ${error.limit ?? 'this server'} bytes.`);
    case 'entity.too.deep':
      return new ApiError(400, 'body_too_deep', `The request body nests objects and arrays more than ${error.limit ?? JSON_MAX_DEPTH} levels deep; no request of this API needs that many.`, {
        maxDepth: error.limit ?? JSON_MAX_DEPTH,
      });
    case 'entity.parse.failed':
      return new ApiError(400, 'bad_request', 'The request body is not valid JSON.');
    case undefined:
      return new ApiError(400, 'bad_request', 'The request body could not be decompressed; send it compressed as its Content-Encoding says (gzip, deflate or br), or uncompressed.');
    case 'encoding.unsupported':
      return new ApiError(400, 'bad_request', 'The request body uses a Content-Encoding this server does not read; send it uncompressed, or as gzip, deflate or br.');
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
