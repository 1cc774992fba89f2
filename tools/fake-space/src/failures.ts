/**
 * Failure modes: who gets turned away at the door (auth, sleeping, queue full), which
 * jobs fail (quota, error, crash) and how outputs are corrupted (foreign-url,
 * metadata-url, data-url, oversize, not-audio, bad-audio, truncated-audio). `slow` and `drop` live in the job runner.
 */
import type { FakeSpaceSettings, Json } from './types';

export interface Refusal {
  status: number;
  contentType: string;
  body: string;
}

/**
 * The ZeroGPU quota error as Spaces send it (`spaces` package raises `gr.Error` with
 * HTML in the message; the client passes the HTML through untouched).
 */
export const ZEROGPU_QUOTA_MESSAGE =
  'You have exceeded your GPU quota (60s requested vs. 0s left). <a style="white-space: nowrap;text-underline-offset: 2px;color: var(--body-text-color)" href="https://huggingface.co/settings/billing">Upgrade</a> Try again in 0:13:27';
export const ZEROGPU_QUOTA_TITLE = 'ZeroGPU quota exceeded';
export const APP_ERROR_MESSAGE = 'CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 14.75 GiB total capacity)';
export const METADATA_URL = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';

/** A sleeping / paused Space: Hugging Face answers 503 with an HTML page. */
const SLEEPING_PAGE = '<!DOCTYPE html><html><head><title>503 - Space is sleeping</title></head><body><h1>This Space is sleeping due to inactivity.</h1></body></html>';

/**
 * Checks a request against `sleeping`, `auth` and `requireToken`. A private Space lets
 * in only `Authorization: Bearer <requireToken>`; under `auth` no token is good enough
 * unless `requireToken` is set and matches.
 *
 * Bodies matter to the client: a 401 whose body is not JSON makes `Client.connect`
 * throw its "private Hugging Face Space, pass a valid token" message; a JSON 401 makes
 * it throw `detail.auth_message` or "Login credentials are required to access this space.".
 */
export function refuseRequest(settings: FakeSpaceSettings, authorization: string | null): Refusal | null {
  if (settings.fail === 'sleeping') return { status: 503, contentType: 'text/html; charset=utf-8', body: SLEEPING_PAGE };
  const guarded = settings.fail === 'auth' || settings.requireToken !== null;
  if (!guarded) return null;
  if (settings.requireToken !== null && authorization === `Bearer ${settings.requireToken}`) return null;
  if (!authorization) return { status: 401, contentType: 'text/plain; charset=utf-8', body: 'Unauthorized' };
  return { status: 401, contentType: 'application/json', body: JSON.stringify({ error: 'Invalid credentials in Authorization header' }) };
}

/** `unavailable`: the queue is full, `POST queue/join` answers 503 as Gradio does (`{"detail": "Queue is full."}`). */
export function refuseJoin(settings: FakeSpaceSettings): Refusal | null {
  if (settings.fail !== 'unavailable') return null;
  return { status: 503, contentType: 'application/json', body: JSON.stringify({ detail: 'Queue is full.' }) };
}

export interface JobFailure {
  /** null reproduces an unexpected exception with `show_error=False` (the client then says "An error occurred") */
  message: string | null;
  title: string;
}

export function jobFailure(settings: FakeSpaceSettings): JobFailure | null {
  switch (settings.fail) {
    case 'quota':
      return { message: ZEROGPU_QUOTA_MESSAGE, title: ZEROGPU_QUOTA_TITLE };
    case 'error':
      return { message: APP_ERROR_MESSAGE, title: 'Error' };
    case 'crash':
      return { message: null, title: 'Error' };
    default:
      return null;
  }
}

/** Gradio's `error_payload()`: the `output` of a failed `process_completed`. */
export function errorOutput(message: string | null, title: string): { [key: string]: Json } {
  if (message === null) return { error: null };
  return { error: message, duration: 10, visible: true, title };
}

/** Bytes that claim to be a WAV file but are an HTML page (`not-audio`). */
export const NOT_AUDIO_BYTES = Buffer.from(
  '<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Internal Server Error</h1><p>this is not audio</p></body></html>\n',
  'utf8',
);

/** `bad-audio`: a real WAV whose header then claims 0 channels (it passes a sniff, not a decode). */
export function zeroChannelWav(wav: Buffer): Buffer {
  const bad = Buffer.from(wav);
  bad.writeUInt16LE(0, 22);
  return bad;
}

/** `truncated-audio`: the first 60 % of a real WAV, its header still claiming the whole. */
export function truncatedWav(wav: Buffer): Buffer {
  return wav.subarray(0, Math.floor(wav.length * 0.6));
}
