import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode, type ErrorResponse } from '@texttune/contracts';

/** Name of the personal API token security scheme in the OpenAPI document. */
export const API_TOKEN_SCHEME = 'api-token';

/** The error shape every endpoint answers with, for the OpenAPI document. */
export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ enum: ERROR_CODES, example: 'validation_failed' }) code!: ErrorCode;
  @ApiProperty({ example: 'The request is invalid: email must be an email address like name@example.com.' }) message!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { fields: { email: ['email must be an email address like name@example.com'] } } })
  details?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Also sent as the X-Request-Id header; quote it when reporting a problem.' }) requestId?: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (`validation_failed` with per-field `details.fields`, or another stable code).',
  401: 'Not signed in, or the session/token is no longer valid.',
  403: 'Signed in, but not allowed.',
  404: 'Not found (also for other users\u2019 resources).',
  409: 'Conflicts with the current state.',
  413: 'Request body too large.',
  429: 'Rate limited or over a quota; see `Retry-After`.',
  503: 'Not ready or temporarily unavailable.',
};

/** Documents the error responses of an endpoint with the shared error schema. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto })));
}
