import type { Authenticated } from './auth-user';
import type { OwnedTarget } from './owned-lookup';

/**
 * How the authentication guard accepts personal API tokens, without knowing where they
 * are kept: the tokens feature provides it under {@link API_TOKEN_CHECK}.
 */
export interface ApiTokenCheck {
  /** Whether a bearer credential has the shape of an API token (`ttk_…`) rather than a session JWT. */
  isApiToken(bearer: string): boolean;
  /** The caller (and the route's resource, for a `target`) of a valid token; null when it is not valid. */
  authenticate(token: string, target?: OwnedTarget): Promise<Authenticated | null>;
}

export const API_TOKEN_CHECK = Symbol('API_TOKEN_CHECK');
