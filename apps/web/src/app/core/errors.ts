import { HttpErrorResponse } from '@angular/common/http';
import { ERROR_CODES, type ErrorCode, type ErrorResponse } from '@texttune/contracts';

/** The API's error body, whatever reached the client (network failure, proxy page, JSON error). */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof HttpErrorResponse) {
    const body: unknown = error.error;
    if (body && typeof body === 'object' && 'code' in body && 'message' in body && typeof body.message === 'string') {
      const code = (ERROR_CODES as readonly string[]).includes(String(body.code)) ? (body.code as ErrorCode) : 'internal_error';
      return { ...(body as ErrorResponse), code, statusCode: error.status };
    }
    if (error.status === 0) return { statusCode: 0, code: 'not_ready', message: 'The server cannot be reached. Check your connection and try again.' };
    return { statusCode: error.status, code: error.status >= 500 ? 'internal_error' : 'bad_request', message: error.statusText || `Request failed (${error.status}).` };
  }
  return { statusCode: 0, code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
}

/** Per-field sentences of a 400 `validation_failed` (field path -> sentences). */
export function fieldErrors(error: ErrorResponse): Record<string, string[]> {
  const fields = (error.details as { fields?: unknown } | undefined)?.fields;
  if (!fields || typeof fields !== 'object') return {};
  const out: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(fields as Record<string, unknown>)) {
    out[field] = Array.isArray(messages) ? messages.map(String) : [String(messages)];
  }
  return out;
}

/** `max` of a 400 `duration_too_long` (the server's MAX_DURATION_SECONDS), if this is one. */
export function maxDurationFrom(error: ErrorResponse): number | null {
  if (error.code !== 'duration_too_long') return null;
  const max = Number((error.details as { max?: unknown } | undefined)?.max);
  return Number.isFinite(max) && max >= 1 ? max : null;
}
