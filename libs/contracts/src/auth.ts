export const AUTH_MODES = ['open', 'password'] as const;
/**
 * `open`: quick email login and guest accounts (local use).
 * `password`: real accounts only; passwordless login and guests are refused.
 */
export type AuthMode = (typeof AUTH_MODES)[number];

export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const PASSWORD_MIN_LENGTH = 8;
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
}

/** `GET /v1/me` */
export interface MeResponse {
  id: string;
  email: string | null;
  role: UserRole;
  isGuest: boolean;
  createdAt: string;
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
  methods: {
    emailLogin: boolean;
    guest: boolean;
    password: boolean;
    register: boolean;
  };
}

/** Name of the httpOnly session cookie. */
export const SESSION_COOKIE = 'tt_session';
