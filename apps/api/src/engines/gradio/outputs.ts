/**
 * Getting a Space's audio back, safely: find it among the outputs (FileData objects,
 * `{video: FileData}`, plain URL or path strings, `data:` URLs), then fetch it only
 * from the Space's own origin — with the token only there, redirects checked, a byte
 * limit and a stall timeout — as a stream, never buffered whole.
 */
import { Readable, Transform } from 'node:stream';
import { EngineError } from '../music-engine';
import type { OutputSlot } from './space-plan';

export type AudioSource =
  | { kind: 'url'; url: string; claimedMimeType: string | null; size: number | null; outputIndex: number }
  | { kind: 'path'; path: string; claimedMimeType: string | null; size: number | null; outputIndex: number }
  | { kind: 'data'; mimeType: string | null; base64: string; outputIndex: number };

function fromValue(value: unknown, outputIndex: number): AudioSource | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    if (value.startsWith('data:')) return parseDataUrl(value, outputIndex);
    if (/^https?:\/\//i.test(value)) return { kind: 'url', url: value, claimedMimeType: null, size: null, outputIndex };
    return value ? { kind: 'path', path: value, claimedMimeType: null, size: null, outputIndex } : null;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = fromValue(item, outputIndex);
      if (found) return found;
    }
    return null;
  }
  if (typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if ('video' in v) return fromValue(v.video, outputIndex);
  const mime = typeof v.mime_type === 'string' ? v.mime_type : null;
  const size = typeof v.size === 'number' ? v.size : null;
  if (typeof v.url === 'string' && v.url) {
    if (v.url.startsWith('data:')) return parseDataUrl(v.url, outputIndex);
    return { kind: 'url', url: v.url, claimedMimeType: mime, size, outputIndex };
  }
  const path = typeof v.path === 'string' ? v.path : typeof v.name === 'string' ? v.name : null; // `name`: Gradio 3 file objects
  if (path) return { kind: 'path', path, claimedMimeType: mime, size, outputIndex };
  if (typeof v.data === 'string' && v.data.startsWith('data:')) return parseDataUrl(v.data, outputIndex);
  return null;
}

function parseDataUrl(value: string, outputIndex: number): AudioSource | null {
  const match = /^data:([^;,]*)(?:;[^;,]*)*?(;base64)?,/i.exec(value);
  if (!match || !match[2]) return null;
  return { kind: 'data', mimeType: match[1] || null, base64: value.slice(match[0].length), outputIndex };
}

/** The first output that carries a file, in the plan's order (Audio before File before Video). */
export function pickAudioOutput(outputs: OutputSlot[], data: unknown[]): { source: AudioSource; slot: OutputSlot } | null {
  for (const slot of outputs) {
    const source = fromValue(data[slot.index], slot.index);
    if (source) return { source, slot };
  }
  return null;
}

export interface DownloadOptions {
  /** the Space's base URL (`config.root`), and its API prefix */
  baseUrl: string;
  apiPrefix: string;
  origin: string;
  token?: string;
  maxBytes: number;
  /** the job's signal (cancel, timeout) */
  signal: AbortSignal;
  /** give up when no byte arrives for this long */
  stallMs: number;
  /** the name of the Space for messages */
  space: string;
  /** what to do when the Space refuses the token (errors.authAdvice); default: set HF_API_TOKEN */
  authAdvice?: string;
}

export interface Downloaded {
  body: Readable | Buffer;
  claimedMimeType: string | null;
  /** how the audio came: url, path (built file= URL), data-url */
  via: 'url' | 'path' | 'data-url';
  /** the URL fetched (without query), null for data: URLs */
  url: string | null;
  /** Content-Length, when the Space sent one */
  declaredBytes: number | null;
  /** ms until the response headers arrived */
  headersMs: number;
}

const MB = 1024 * 1024;
const megabytes = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;

function tooBig(options: DownloadOptions): EngineError {
  return new EngineError('invalid_output', `The Space ${options.space} returned more than ${megabytes(options.maxBytes)} of audio (MAX_AUDIO_BYTES); ask for a shorter duration.`);
}

function forbidden(options: DownloadOptions, url: URL | string): EngineError {
  const where = typeof url === 'string' ? url.slice(0, 80) : url.protocol === 'http:' || url.protocol === 'https:' ? url.host : url.protocol;
  return new EngineError(
    'invalid_output',
    `The Space ${options.space} pointed its output at ${where}, which is not the Space's own host; TextTune only downloads from the Space itself, so nothing was fetched.`,
  );
}

/** Resolves a source to the URL to fetch, refusing any origin but the Space's. */
export function resolveOutputUrl(source: Extract<AudioSource, { kind: 'url' | 'path' }>, options: Pick<DownloadOptions, 'baseUrl' | 'apiPrefix' | 'origin' | 'space'>): URL {
  if (source.kind === 'path') {
    const encoded = source.path
      .split('/')
      .map((segment) => encodeURIComponent(segment))
      .join('/');
    return new URL(`${options.baseUrl}${options.apiPrefix}/file=${encoded}`);
  }
  let url: URL;
  try {
    url = new URL(source.url, `${options.baseUrl}/`);
  } catch {
    throw forbidden(options as DownloadOptions, source.url);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== options.origin || url.username || url.password) throw forbidden(options as DownloadOptions, url);
  return url;
}

/** Counts bytes, fails past the limit, and fails when the source stalls. */
function guard(options: DownloadOptions, onAbort: () => void): Transform {
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const stall = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      counter.destroy(new EngineError('timeout', `The Space ${options.space} stopped sending its audio for ${Math.round(options.stallMs / 1000)} s; try again.`, true));
      onAbort();
    }, options.stallMs);
    timer.unref();
  };
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > options.maxBytes) {
        clearTimeout(timer);
        onAbort();
        done(tooBig(options));
        return;
      }
      stall();
      done(null, chunk);
    },
    flush(done) {
      clearTimeout(timer);
      done();
    },
    destroy(error, done) {
      clearTimeout(timer);
      done(error);
    },
  });
  stall();
  return counter;
}

/** Fetches the audio of a source (see the module comment for the rules). */
export async function downloadAudio(source: AudioSource, options: DownloadOptions): Promise<Downloaded> {
  const started = performance.now();
  if (source.kind === 'data') {
    if (Math.floor((source.base64.length * 3) / 4) > options.maxBytes + 3) throw tooBig(options);
    const body = Buffer.from(source.base64, 'base64');
    if (body.length > options.maxBytes) throw tooBig(options);
    return { body, claimedMimeType: source.mimeType, via: 'data-url', url: null, declaredBytes: body.length, headersMs: 0 };
  }
  if (source.size !== null && source.size > options.maxBytes) throw tooBig(options);
  let url = resolveOutputUrl(source, options);
  const controller = new AbortController();
  const signal = AbortSignal.any([options.signal, controller.signal]);
  const headerTimer = setTimeout(() => controller.abort(new EngineError('timeout', `The Space ${options.space} did not start sending its audio within ${Math.round(options.stallMs / 1000)} s; try again.`, true)), options.stallMs);
  let response: Response;
  try {
    for (let hops = 0; ; hops++) {
      response = await fetch(url, { headers: options.token ? { Authorization: `Bearer ${options.token}` } : {}, redirect: 'manual', signal });
      if (response.status < 300 || response.status >= 400) break;
      const location = response.headers.get('location');
      await response.body?.cancel().catch(() => undefined);
      if (!location || hops >= 3) throw new EngineError('invalid_output', `The Space ${options.space} redirected its output too often; nothing was stored.`);
      const next = new URL(location, url);
      if (next.origin !== options.origin) throw forbidden(options, next);
      url = next;
    }
  } catch (error) {
    if (error instanceof EngineError) throw error;
    if (controller.signal.aborted && controller.signal.reason instanceof EngineError) throw controller.signal.reason;
    if (options.signal.aborted) throw options.signal.reason;
    throw new EngineError('space_unavailable', `Could not download the audio from the Space ${options.space} (${(error as Error).message}). The job will be retried.`, true);
  } finally {
    clearTimeout(headerTimer);
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel().catch(() => undefined);
    throw new EngineError('space_auth', `The Space ${options.space} refused to hand over its output (HTTP ${response.status}): ${options.authAdvice ?? `set HF_API_TOKEN to a token with access to ${options.space}`}.`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 500 || response.status === 429) {
      throw new EngineError('space_unavailable', `The Space ${options.space} answered HTTP ${response.status} for its output file. The job will be retried.`, true);
    }
    throw new EngineError('invalid_output', `The Space ${options.space} answered HTTP ${response.status} for its output file; nothing was stored.`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw tooBig(options);
  }
  const headersMs = performance.now() - started;
  const web = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  const counter = guard(options, () => controller.abort());
  web.on('error', (error) => counter.destroy(options.signal.aborted ? (options.signal.reason as Error) : error));
  web.pipe(counter);
  counter.on('close', () => {
    if (!web.destroyed) web.destroy();
  });
  return {
    body: counter,
    claimedMimeType: response.headers.get('content-type') ?? (source.claimedMimeType || null),
    via: source.kind,
    url: `${url.origin}${url.pathname}`,
    declaredBytes: Number.isFinite(declared) ? declared : null,
    headersMs,
  };
}
