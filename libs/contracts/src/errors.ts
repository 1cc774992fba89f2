/**
 * Every error the API answers has this shape, whatever produced it.
 * `code` is stable (clients branch on it); `message` is a sentence for a person.
 */
export interface ErrorResponse {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  requestId?: string;
}

/** Per-field problems of a 400 `validation_failed`: field path -> sentences. */
export type ValidationDetails = { fields: Record<string, string[]> };

export const ERROR_CODES = [
  'validation_failed',
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  // a share link whose owner did not allow downloading the audio
  'download_not_allowed',
  'conflict',
  'payload_too_large',
  // a JSON body nested deeper than the API reads (details.maxDepth)
  'body_too_deep',
  'rate_limited',
  'not_ready',
  'internal_error',
  // Postgres unreachable or restarting: try again shortly (503 with Retry-After)
  'database_unavailable',
  // auth
  'invalid_credentials',
  'password_required',
  'auth_mode_disabled',
  'email_taken',
  'session_revoked',
  'account_disabled',
  'sso_required',
  // personal API tokens: the token lacks the route's scope (details.required_scope); a scope the caller may not grant
  'insufficient_scope',
  'scope_not_grantable',
  // sign-up: REGISTRATION=closed, or invite without a valid invite; a new password that breaks the policy
  'registration_closed',
  'invite_required',
  'invite_invalid',
  'weak_password',
  // generations
  'duration_too_long',
  'prompt_blocked',
  'too_many_active_jobs',
  'queue_full',
  'quota_exceeded',
  'already_finished',
  'engine_not_found',
  'engine_not_ready',
  // a seamless loop asked of an engine whose supports.loop is not true
  'loop_unsupported',
  // reference (melody) audio: not audio, or the chosen engine takes none
  'reference_invalid',
  'reference_not_supported',
  // webhooks: a URL that is not http(s), or names an address deliveries may not go to
  'webhook_url_invalid',
  'webhook_url_refused',
  // tracks and streaming
  'precondition_failed',
  'range_not_satisfiable',
  'format_unavailable',
  'audio_missing',
  'storage_unavailable',
  'limit_exceeded',
  // settings: a Hugging Face token Hugging Face refused (PUT /v1/me/hf-token)
  'hf_token_invalid',
  // Idempotency-Key: used before for a different request (422); its first request still being processed (409 with Retry-After)
  'idempotency_key_reused',
  'idempotency_key_in_use',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
