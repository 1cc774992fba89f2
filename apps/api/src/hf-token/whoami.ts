/**
 * Checking a Hugging Face token once, when it is saved: `GET {HF_HUB_URL}/api/whoami-v2`
 * with the token. 401 means Hugging Face does not know it; when Hugging Face cannot be
 * reached (network error, timeout, an error status) the token is accepted unverified
 * with a warning. The token goes only to HF_HUB_URL, never through a redirect.
 */

export type WhoamiResult = { verification: 'verified'; account: string | null; warning: null } | { verification: 'unverified'; account: null; warning: string };

/** Hugging Face answered 401: the token is wrong, expired or revoked. */
export class HfTokenRejected extends Error {
  constructor(readonly status: number) {
    super(`Hugging Face refused the token (HTTP ${status})`);
    this.name = 'HfTokenRejected';
  }
}

export interface WhoamiOptions {
  hubUrl: string;
  timeoutMs: number;
  fetchImpl?: typeof fetch;
}

const unverified = (why: string): WhoamiResult => ({
  verification: 'unverified',
  account: null,
  warning: `${why}, so the token could not be checked; it was saved as it is. If it is wrong, your jobs will fail with space_auth: set it again then.`,
});

export async function whoami(token: string, { hubUrl, timeoutMs, fetchImpl = fetch }: WhoamiOptions): Promise<WhoamiResult> {
  const host = new URL(hubUrl).host;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetchImpl(`${hubUrl}/api/whoami-v2`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, redirect: 'error', signal });
  } catch (error) {
    if (signal.aborted) return unverified(`Hugging Face (${host}) did not answer within ${formatSeconds(timeoutMs)}`);
    // undici's errors come from another realm under test runners: read them by shape
    const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
    const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : String((error as Error)?.message ?? error);
    return unverified(`Hugging Face (${host}) could not be reached (${why})`);
  }
  if (response.status === 401) {
    await response.body?.cancel().catch(() => undefined);
    throw new HfTokenRejected(response.status);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return unverified(`Hugging Face (${host}) answered HTTP ${response.status} when asked who the token belongs to`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return unverified(signal.aborted ? `Hugging Face (${host}) did not answer within ${formatSeconds(timeoutMs)}` : `Hugging Face (${host}) gave an answer that is not JSON`);
  }
  const name = typeof body === 'object' && body !== null && typeof (body as { name?: unknown }).name === 'string' ? (body as { name: string }).name.slice(0, 200) : null;
  return { verification: 'verified', account: name, warning: null };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
