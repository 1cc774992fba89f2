/** Typed failures of a translation provider. Messages never contain the API key. */
import type { TranslateProviderName } from './types';

export type TranslationErrorKind = 'timeout' | 'network' | 'http' | 'quota' | 'auth' | 'malformed' | 'untranslated';

export class TranslationError extends Error {
  constructor(
    readonly kind: TranslationErrorKind,
    readonly provider: TranslateProviderName,
    message: string,
    /** the HTTP status, when the provider answered */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TranslationError';
  }
}

/** No (complete) answer within `timeoutMs`. */
export class TranslationTimeoutError extends TranslationError {
  constructor(provider: TranslateProviderName, timeoutMs: number, options?: { cause?: unknown }) {
    super('timeout', provider, `${provider} did not answer within ${timeoutMs} ms`, undefined, options);
    this.name = 'TranslationTimeoutError';
  }
}

/** The connection failed (refused, reset, DNS). */
export class TranslationNetworkError extends TranslationError {
  constructor(provider: TranslateProviderName, message: string, options?: { cause?: unknown }) {
    super('network', provider, message, undefined, options);
    this.name = 'TranslationNetworkError';
  }
}

/** An HTTP error status other than quota/auth (400, 404, 500, 503 …). */
export class TranslationHttpError extends TranslationError {
  constructor(provider: TranslateProviderName, status: number, message: string) {
    super('http', provider, message, status);
    this.name = 'TranslationHttpError';
  }
}

/** Quota or rate limit (429, Google's 403 "Daily Limit Exceeded", LibreTranslate's 403 ban). */
export class TranslationQuotaError extends TranslationError {
  constructor(provider: TranslateProviderName, status: number, message: string) {
    super('quota', provider, message, status);
    this.name = 'TranslationQuotaError';
  }
}

/** Missing or rejected API key (401, 403, Google's 400 "API key not valid", LibreTranslate's 400 "… get an API key"). */
export class TranslationAuthError extends TranslationError {
  constructor(provider: TranslateProviderName, status: number, message: string) {
    super('auth', provider, message, status);
    this.name = 'TranslationAuthError';
  }
}

/** A 2xx answer that is not the documented shape (not JSON, no translatedText, empty). */
export class TranslationMalformedError extends TranslationError {
  constructor(provider: TranslateProviderName, message: string, status?: number) {
    super('malformed', provider, message, status);
    this.name = 'TranslationMalformedError';
  }
}
