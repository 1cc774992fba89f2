/**
 * Users' own Hugging Face tokens, as the Gradio engine sees them: jobs of a
 * user with a token call the Space with it; HF_TOKEN_POLICY decides what happens for the
 * others (HF_API_TOKEN, or a space_auth failure). The store lives in apps/api/src/hf-token.
 */
import type { HfTokenPolicy } from '@texttune/contracts';

export interface UserSpaceToken {
  token: string;
  /** the Hugging Face account whoami named when it was saved; null when unverified */
  account: string | null;
  last4: string;
}

export interface UserTokenSource {
  /**
   * The user's own token; null when they have none. Throws an EngineError (`space_auth`,
   * with a sentence) when one is stored but cannot be read (altered, or SECRETS_KEY
   * missing or changed).
   */
  tokenFor(userId: string): Promise<UserSpaceToken | null>;
}

export type { HfTokenPolicy };
