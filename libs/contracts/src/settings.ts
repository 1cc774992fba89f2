/** A user's own settings: their Hugging Face token. */

export const HF_TOKEN_POLICIES = ['server-fallback', 'user-only'] as const;
export type HfTokenPolicy = (typeof HF_TOKEN_POLICIES)[number];

/** `PUT /v1/me/hf-token` */
export interface SetHfTokenRequest {
  token: string;
}

/**
 * `GET`/`PUT /v1/me/hf-token`: whether a token is stored, never the token itself.
 * `verified`: Hugging Face confirmed it (whoami); `unverified`: Hugging Face could not be
 * reached when it was saved, so it was accepted as it is (with `warning`).
 */
export interface HfTokenStatus {
  set: boolean;
  /** the last 4 characters, to tell tokens apart ("…abcd") */
  last4: string | null;
  /** the Hugging Face account name, when verified */
  account: string | null;
  verification: 'verified' | 'unverified' | null;
  warning: string | null;
  updated_at: string | null;
  /** how jobs of this user are authenticated with Spaces */
  policy: HfTokenPolicy;
  /**
   * whether this server can store tokens (its SECRETS_KEY is set); when false `PUT`
   * answers 503. Always sent by the server.
   */
  available?: boolean;
}
