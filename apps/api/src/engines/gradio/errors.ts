/**
 * Turning what @gradio/client and a Space report into {@link EngineError}s with stable
 * codes and sentences a person can act on. Never includes the token (it is only ever in
 * request headers, which no message here repeats).
 */
import { EngineError } from '../music-engine';

/** The client's own messages (constants of @gradio/client 2.x). */
const QUEUE_FULL = /currently busy/i;
const BROKEN = /connection errored out/i;
const WS_PROTOCOL = /legacy version of Gradio \(3\.x/i;
const AUTH_TEXT = /\b401\b|\b403\b|unauthori[sz]ed|not authorized|invalid credentials|login credentials|private hugging face space|not authenticated|forbidden/i;
const QUOTA_TEXT = /exceeded your (?:zero)?gpu quota|zerogpu quota|gpu quota exceeded|(?:gpu|zerogpu|compute) quota/i;
const UNAVAILABLE_TEXT =
  /fetch failed|econnrefused|econnreset|enotfound|eai_again|etimedout|socket hang up|network|timed? ?out|session not found|sleeping|is building|paused|starting up|could not resolve app config|space metadata could not be loaded|no answer within/i;
const MAX_MESSAGE = 400;

/** A Space's message without HTML tags or entities, on one line, at most ~400 characters. */
export function stripHtml(text: string): string {
  const plain = text
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > MAX_MESSAGE ? `${plain.slice(0, MAX_MESSAGE - 1)}…` : plain;
}

/**
 * The wait a Space asks for, in seconds: "Try again in 0:13:27", "retry in 5:00", "try
 * again in 40 seconds", "in 2 minutes".
 */
export function parseWaitSeconds(text: string): number | undefined {
  const clock = /(?:try again|retry)[^0-9]{0,20}(\d{1,2}):(\d{2})(?::(\d{2}))?/i.exec(text);
  if (clock) {
    const parts = [clock[1], clock[2], clock[3]].filter((p): p is string => p !== undefined).map(Number);
    return parts.length === 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : parts[0] * 60 + parts[1];
  }
  const words = /(?:try again|retry)[^0-9]{0,20}(\d+(?:\.\d+)?)\s*(hours?|h|minutes?|mins?|m|seconds?|secs?|s)\b/i.exec(text);
  if (words) {
    const n = Number(words[1]);
    const unit = words[2].toLowerCase();
    return Math.round(unit.startsWith('h') ? n * 3600 : unit.startsWith('m') ? n * 60 : n);
  }
  return undefined;
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', s && !h ? `${s} s` : ''].filter(Boolean).join(' ');
}

/** An HTTP answer the Space gave recently (recorded by the client wrapper). */
export interface HttpFailure {
  status: number;
  /** path of the request, e.g. /config or /gradio_api/queue/join */
  path: string;
}

export interface SpaceErrorContext {
  /** how to name the Space to a person: its id or URL */
  space: string;
  /** whether the requests carry a token */
  hasToken: boolean;
  /**
   * whose token the requests carry: the user's own (set in Settings), the server's
   * HF_API_TOKEN, or none. Default: `server` when `hasToken`, else `none`.
   */
  credential?: 'user' | 'server' | 'none';
  /** the Hugging Face account of the user's own token, when known */
  account?: string | null;
  /** HF_TOKEN_POLICY=user-only: HF_API_TOKEN is never used, so never suggested */
  userOnly?: boolean;
}

const credentialOf = (ctx: SpaceErrorContext) => ctx.credential ?? (ctx.hasToken ? 'server' : 'none');

/** What to do about a refused or missing token, as the end of a sentence (no full stop). */
export function authAdvice(ctx: SpaceErrorContext): string {
  if (credentialOf(ctx) === 'user') return `replace your Hugging Face token in Settings with one that has access to ${ctx.space}`;
  if (credentialOf(ctx) === 'none' && ctx.userOnly) return `set your own Hugging Face token, with access to ${ctx.space}, in Settings`;
  return `set HF_API_TOKEN to a Hugging Face token with access to ${ctx.space}`;
}

function authError(ctx: SpaceErrorContext, status?: number): EngineError {
  const answered = status ? ` (HTTP ${status})` : '';
  const refused = { user: 'refused your Hugging Face token', server: 'refused HF_API_TOKEN', none: 'is private' }[credentialOf(ctx)];
  return new EngineError('space_auth', `The Space ${ctx.space} ${refused}${answered}: ${authAdvice(ctx)}.`);
}

/** Says whose quota ran out: the user's own token's, or the server's (HF_API_TOKEN, or anonymous). */
function quotaError(ctx: SpaceErrorContext, said: string): EngineError {
  const wait = parseWaitSeconds(said);
  const whose = {
    user:
      `your Hugging Face token's quota${ctx.account ? ` (account ${ctx.account})` : ''} has no GPU time left. ` +
      'Try again later, or set a token of an account with more quota in Settings (Hugging Face PRO has more).',
    server:
      "the server's quota (the account of HF_API_TOKEN) has no GPU time left. " +
      'Set HF_API_TOKEN to an account with quota (Hugging Face PRO has more), set your own Hugging Face token in Settings to use your own quota, or try again later.',
    none:
      "the server's quota (anonymous use: the server has no HF_API_TOKEN) has no GPU time left. " +
      'Set your own Hugging Face token in Settings to use your own quota, ask an administrator to set HF_API_TOKEN, or try again later.',
  }[credentialOf(ctx)];
  return new EngineError(
    'space_quota',
    `The Space ${ctx.space} is out of ZeroGPU quota${wait !== undefined ? ` and asks to wait ${formatWait(wait)}` : ''}: ${whose} The Space said: "${said}"`,
    false,
    wait,
  );
}

function unavailable(ctx: SpaceErrorContext, detail: string, transient = true): EngineError {
  return new EngineError('space_unavailable', `The Space ${ctx.space} is not available right now (${detail}); it may be asleep, building or restarting.${transient ? ' The job will be retried.' : ''}`, transient);
}

/** A failure while connecting (config, API info). */
export function classifyConnectError(error: unknown, http: HttpFailure | undefined, ctx: SpaceErrorContext): EngineError {
  if (error instanceof EngineError) return error;
  http ??= (error as { httpFailure?: HttpFailure } | null)?.httpFailure;
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? ` ${error.cause.message} ${(error.cause as NodeJS.ErrnoException).code ?? ''}` : '';
  const status = http?.status ?? Number(/received (?:status |a )(\d{3})/.exec(message)?.[1] ?? NaN);
  if (status === 401 || status === 403 || AUTH_TEXT.test(message)) return authError(ctx, Number.isFinite(status) ? status : undefined);
  if (WS_PROTOCOL.test(message)) return new EngineError('space_error', `The Space ${ctx.space} runs Gradio 3 (websockets), which TextTune cannot drive; use a Space on Gradio 4 or newer.`);
  if (status === 404) return unavailable(ctx, `it answered 404: check HF_SPACE_ID`, false);
  if (Number.isFinite(status) && (status === 429 || status >= 500)) return unavailable(ctx, `it answered HTTP ${status}`);
  if (UNAVAILABLE_TEXT.test(message + cause) || error instanceof TypeError) return unavailable(ctx, stripHtml(`${message}${cause}`).replace(/\.$/, ''));
  return new EngineError('space_error', `Could not open the Space ${ctx.space}: ${stripHtml(message)}`);
}

/** What a status event with `stage: "error"` carries. */
export interface StatusError {
  message?: unknown;
  title?: unknown;
  broken?: boolean;
  session_not_found?: boolean;
  code?: unknown;
}

/** A failed submission (join refused, stream broken, the app raised). */
export function classifyStatusError(status: StatusError, http: HttpFailure | undefined, ctx: SpaceErrorContext): EngineError {
  const raw = typeof status.message === 'string' ? status.message : status.message == null ? '' : JSON.stringify(status.message);
  const title = typeof status.title === 'string' ? status.title : '';
  const said = stripHtml(raw);
  if (QUOTA_TEXT.test(raw) || QUOTA_TEXT.test(title)) return quotaError(ctx, said);
  if (http && (http.status === 401 || http.status === 403)) return authError(ctx, http.status);
  if (QUEUE_FULL.test(raw)) return new EngineError('space_unavailable', `The Space ${ctx.space} is busy (its queue is full). The job will be retried.`, true);
  if (status.broken || BROKEN.test(raw)) return new EngineError('space_unavailable', `Lost the connection to the Space ${ctx.space} while it worked. The job will be retried.`, true);
  if (status.session_not_found) return unavailable(ctx, 'it forgot our session, probably after a restart');
  if (http && (http.status === 429 || http.status >= 500)) return unavailable(ctx, `it answered HTTP ${http.status}`);
  if (!said || said === 'An error occurred' || said === 'An Unexpected Error Occurred!') {
    return new EngineError('space_error', `The Space ${ctx.space} failed while rendering and did not say why; try again, or look at the Space's logs.`);
  }
  return new EngineError('space_error', `The Space ${ctx.space} reported an error: ${said}`);
}
