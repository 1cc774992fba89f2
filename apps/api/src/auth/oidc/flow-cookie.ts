import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** The browser-bound state of one sign-in between `/oidc/login` and `/oidc/callback`. */
export interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnUrl: string;
  /** ms since the epoch */
  startedAt: number;
}

export const OIDC_FLOW_COOKIE = 'tt_oidc';
export const OIDC_FLOW_COOKIE_PATH = '/v1/auth/oidc';
/** How long a sign-in may spend at the provider. */
export const OIDC_FLOW_TTL_MS = 10 * 60_000;

const key = (secret: string) => createHash('sha256').update('texttune:oidc-flow\0').update(secret).digest();

/**
 * Seals the flow into the cookie value (AES-256-GCM under a key derived from
 * JWT_SECRET): the browser can neither read the PKCE verifier nor alter the state.
 */
export function sealFlow(flow: OidcFlow, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The flow sealed in the cookie, or null when it is missing, altered, or older than the TTL. */
export function unsealFlow(value: string | undefined, secret: string, now = Date.now()): OidcFlow | null {
  if (!value) return null;
  try {
    const raw = Buffer.from(value, 'base64url');
    if (raw.length < 29) return null;
    const decipher = createDecipheriv('aes-256-gcm', key(secret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const flow = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as OidcFlow;
    if (typeof flow.state !== 'string' || typeof flow.nonce !== 'string' || typeof flow.codeVerifier !== 'string' || typeof flow.startedAt !== 'number') return null;
    if (now - flow.startedAt > OIDC_FLOW_TTL_MS || flow.startedAt > now + 60_000) return null;
    return flow;
  } catch {
    return null;
  }
}

/** A path on this site to land on after sign-in; anything else (another origin, `//host`) becomes `/`. */
export function safeReturnUrl(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  return value;
}
