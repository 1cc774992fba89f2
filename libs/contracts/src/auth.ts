export const AUTH_MODES = ['open', 'password', 'oidc'] as const;
/**
 * `open`: quick email login and guest accounts (local use).
 * `password`: real accounts only; passwordless login and guests are refused.
 * `oidc`: single sign-on with the organisation's OpenID provider only (no passwords).
 * OIDC sign-in is also offered alongside `open` or `password` when OIDC_ISSUER is set.
 */
export type AuthMode = (typeof AUTH_MODES)[number];

export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Who may create a password account (`REGISTRATION`): `open` anyone, `invite` only with
 * a one-time invite code an admin made (`POST /v1/admin/invites`), `closed` nobody
 * (sign-up answers 403 `registration_closed`).
 */
export const REGISTRATION_MODES = ['open', 'invite', 'closed'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

/** New and changed passwords: at least this long, not a common password, not the email (400 `weak_password`). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
export const EMAIL_MAX_LENGTH = 254;

/** `POST /v1/auth/login`: without `password` it is the original quick email login. */
export interface LoginRequest {
  email: string;
  password?: string;
}

export interface RegisterRequest {
  email: string;
  password: string;
  /** the invite code (REGISTRATION=invite); ignored otherwise */
  invite?: string;
}

/** `GET /v1/me` */
export interface MeResponse {
  id: string;
  email: string | null;
  /** from the identity provider (OIDC `name`), else null */
  displayName: string | null;
  role: UserRole;
  isGuest: boolean;
  createdAt: string;
  /** what this user may ask for (`GET /v1/me` only): the server's limits with any per-user overrides */
  limits?: UserLimits;
}

export interface UserLimits {
  /** longest `duration` a generation may ask for, in seconds */
  maxDurationSeconds: number;
  /** seconds of audio a day; 0: unlimited */
  dailySeconds: number;
  /** queued + running generations at once */
  maxActiveJobs: number;
}

/** `GET /v1/auth/session`: always 200; `user` is null when nobody is signed in. */
export interface SessionResponse {
  user: MeResponse | null;
}

export interface AuthResponse {
  user: MeResponse;
  /** A JWT, also set as the httpOnly session cookie; send it as `Authorization: Bearer`. */
  accessToken: string;
  expiresAt: string;
}

/** `GET /v1/auth/config`: which sign-in methods the client should offer. */
export interface AuthConfigResponse {
  mode: AuthMode;
  /** who may sign up; `methods.register` is false when nobody can */
  registration: RegistrationMode;
  methods: {
    emailLogin: boolean;
    guest: boolean;
    password: boolean;
    register: boolean;
    /** "Sign in with <oidc.providerName>" */
    oidc: boolean;
  };
  /** null when single sign-on is not configured */
  oidc: OidcSignInInfo | null;
}

export interface OidcSignInInfo {
  /** e.g. "Acme Keycloak": the button reads "Sign in with <providerName>" */
  providerName: string;
  /**
   * Navigate the browser here (a full page load, not XHR), optionally with
   * `?returnUrl=/library` (a path on this site). It redirects to the provider and back;
   * success lands on `returnUrl` (default `/`) with the session cookie set, failure on
   * the sign-in page with `?error=<OidcErrorReason>`.
   */
  loginUrl: string;
}

/** `POST /v1/auth/logout` */
export interface LogoutResponse {
  /**
   * For a single sign-on session whose provider offers RP-initiated logout: navigate
   * the browser here to end the provider's session too. Null otherwise.
   */
  redirectUrl: string | null;
}

/** The web client's sign-in page, where single sign-on failures land. */
export const SIGN_IN_PATH = '/signin';
/** Query parameter of the sign-in page carrying an {@link OidcErrorReason}. */
export const SIGN_IN_ERROR_PARAM = 'error';

/**
 * Why a single sign-on attempt failed (`/signin?error=<reason>`). No session is created.
 */
export const OIDC_ERROR_REASONS = [
  /** single sign-on is not configured on this server */
  'oidc_disabled',
  /** the identity provider could not be reached or answered with a server error */
  'oidc_provider_unavailable',
  /** the response does not belong to the sign-in this browser started (tampered or mixed-up state) */
  'oidc_state_mismatch',
  /** the sign-in took too long or the browser did not keep its cookie; start again */
  'oidc_session_expired',
  /** the user declined (or was refused) at the provider */
  'oidc_access_denied',
  /** the authorization code was expired, already used or not accepted */
  'oidc_code_invalid',
  /** the ID token failed validation (signature, issuer, audience, expiry, nonce) */
  'oidc_token_invalid',
  /** another provider error */
  'oidc_provider_error',
  /** the account is disabled here */
  'oidc_account_disabled',
  /** an account with this email exists, and the provider did not vouch for the email (email_verified) */
  'oidc_email_conflict',
] as const;
export type OidcErrorReason = (typeof OIDC_ERROR_REASONS)[number];

/** English sentences for each reason (the web client has its own translations). */
export const OIDC_ERROR_MESSAGES: Record<OidcErrorReason, string> = {
  oidc_disabled: 'Single sign-on is not configured on this server.',
  oidc_provider_unavailable: 'The sign-in service could not be reached. Try again in a moment.',
  oidc_state_mismatch: 'This sign-in response does not match the sign-in started in this browser. Start again.',
  oidc_session_expired: 'The sign-in took too long or your browser blocked its cookie. Start again.',
  oidc_access_denied: 'Access was not granted at the sign-in service.',
  oidc_code_invalid: 'The sign-in expired or was already used. Start again.',
  oidc_token_invalid: 'The sign-in service answered with an identity that could not be verified.',
  oidc_provider_error: 'The sign-in service reported an error. Try again, or contact your administrator.',
  oidc_account_disabled: 'This account has been disabled; ask an administrator.',
  oidc_email_conflict: 'An account with this email already exists here and your sign-in service did not confirm the email. Ask an administrator.',
};

// --- Personal API tokens (`/v1/tokens`) ---------------------------------------

/** Every personal API token starts with this; send it as `Authorization: Bearer <token>`. */
export const API_TOKEN_PREFIX = 'ttk_';
export const API_TOKEN_NAME_MAX_LENGTH = 100;
export const API_TOKEN_MAX_DAYS = 365;
export const API_TOKEN_DEFAULT_DAYS = 90;
/** Unrevoked tokens one account may hold. */
export const API_TOKENS_PER_USER_MAX = 50;

/**
 * What a personal API token may do (sessions may do everything their account may):
 * - `read`: the library, tracks, streams and downloads, jobs and their events, engines,
 *   playlists and reference audio, the account (`GET /v1/me`, the Hugging Face token's status);
 * - `generate`: queue, cancel and regenerate jobs, upload and delete reference audio;
 * - `manage`: rename and delete tracks and playlists, edit playlists, share links,
 *   webhooks, the account's API tokens and its Hugging Face token;
 * - `admin`: the admin API (`/v1/admin/…`); only an admin can grant it, and it still
 *   needs the admin role when used.
 */
export const API_TOKEN_SCOPES = ['read', 'generate', 'manage', 'admin'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];
/** The scopes a new token gets when the request names none: all but `admin` (narrowed to the creating token's own, when a token creates it). */
export const API_TOKEN_DEFAULT_SCOPES: readonly ApiTokenScope[] = ['read', 'generate', 'manage'];

/** `details` of a 403 `insufficient_scope`: the scope the request needs and the token lacks. */
export interface InsufficientScopeDetails {
  required_scope: ApiTokenScope;
}

/** `POST /v1/tokens` */
export interface CreateApiTokenRequest {
  /** what the token is for, e.g. "portal back end" */
  name: string;
  /** 1…API_TOKEN_MAX_DAYS; API_TOKEN_DEFAULT_DAYS when absent */
  expiresInDays?: number;
  /** what it may do; API_TOKEN_DEFAULT_SCOPES when absent */
  scopes?: ApiTokenScope[];
}

/** A token as listed (`GET /v1/tokens`): never the secret itself. */
export interface ApiTokenResponse {
  id: string;
  name: string;
  /** the token's first characters, e.g. "ttk_AbCd1234", to recognise it */
  prefix: string;
  createdAt: string;
  expiresAt: string;
  /** updated at most once a minute; null when never used */
  lastUsedAt: string | null;
  expired: boolean;
  /** what it may do, in API_TOKEN_SCOPES order */
  scopes: ApiTokenScope[];
}

/** `POST /v1/tokens` answer: the only time the token is shown. */
export interface CreatedApiTokenResponse extends ApiTokenResponse {
  token: string;
}

export interface ApiTokenListResponse {
  items: ApiTokenResponse[];
}

/** Name of the httpOnly session cookie. */
export const SESSION_COOKIE = 'tt_session';
