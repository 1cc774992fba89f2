/**
 * Where a Space lives, and a @gradio/client `Client` that only ever talks to it.
 *
 * The token is not given to the client as `token` (which it would also send to
 * huggingface.co for a JWT and to whatever `root` a Space's config names); it travels as
 * an `Authorization` header that the overridden `fetch`/`stream` attach only to requests
 * for the Space's own origin, and every request for another origin is refused. That also
 * puts the token on `cancel`/`reset`, which the client 2.7 sends without it.
 */
import { Client, type Config } from '@gradio/client';
import { EngineError } from '../music-engine';
import type { HttpFailure } from './errors';

export interface SpaceTarget {
  /** HF_SPACE_ID as configured: `owner/name` or a URL */
  reference: string;
  /** the app's base URL without a trailing slash: `https://owner-name.hf.space`, `http://gpu-box:7860` */
  baseUrl: string;
  /** scheme://host:port of baseUrl: the only origin that gets requests and the token */
  origin: string;
  /** `owner/name` for a Hugging Face Space id, null for a URL */
  spaceId: string | null;
}

const SPACE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const HF_API = 'https://huggingface.co';

/** Thrown for an HF_SPACE_ID that is neither a Space id nor a URL. */
export class SpaceConfigError extends Error {}

/** Parses HF_SPACE_ID without any network: a URL gives its target, a Space id gives null (needs the HF API). */
export function parseSpaceReference(reference: string): { url: URL } | { spaceId: string } {
  const trimmed = reference.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new SpaceConfigError(`HF_SPACE_ID "${trimmed}" is not a valid URL`);
    }
    if (url.username || url.password) throw new SpaceConfigError('HF_SPACE_ID must not carry credentials in the URL; use HF_API_TOKEN');
    return { url };
  }
  const id = trimmed.replace(/^spaces\//, '').replace(/\/+$/, '');
  if (!SPACE_ID.test(id)) throw new SpaceConfigError(`HF_SPACE_ID "${trimmed}" is neither a Space id like owner/name nor an http(s) URL`);
  return { spaceId: id };
}

export function targetFromUrl(reference: string, url: URL): SpaceTarget {
  const path = url.pathname.replace(/\/+$/, '');
  return { reference, baseUrl: `${url.origin}${path}`, origin: url.origin, spaceId: null };
}

export interface ResolveSpaceOptions {
  /** HF_HUB_URL (default https://huggingface.co) */
  hubUrl?: string;
  /** what to do when the Space is invisible with this token (errors.authAdvice); default: set HF_API_TOKEN */
  authAdvice?: string;
}

/**
 * Resolves HF_SPACE_ID to the app's URL. A Space id is looked up on the Hugging Face API
 * (`/api/spaces/<id>/host`, with the token: a private Space is invisible without it).
 */
export async function resolveSpace(
  reference: string,
  token: string | undefined,
  signal?: AbortSignal,
  fetchImpl: typeof fetch = fetch,
  options: ResolveSpaceOptions = {},
): Promise<SpaceTarget> {
  const parsed = parseSpaceReference(reference);
  if ('url' in parsed) return targetFromUrl(reference, parsed.url);
  const id = parsed.spaceId;
  let response: Response;
  try {
    response = await fetchImpl(`${(options.hubUrl ?? HF_API).replace(/\/+$/, '')}/api/spaces/${id}/host`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      redirect: 'error',
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(15_000)]) : AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new EngineError('space_unavailable', `Could not ask Hugging Face where the Space ${id} runs (${(error as Error).message}). The job will be retried.`, true);
  }
  if (response.status === 401 || response.status === 403 || response.status === 404) {
    throw new EngineError(
      'space_auth',
      `Hugging Face does not show the Space ${id} (HTTP ${response.status}): check HF_SPACE_ID, and if the Space is private ${options.authAdvice ?? `set HF_API_TOKEN to a token with access to ${id}`}.`,
    );
  }
  if (!response.ok) throw new EngineError('space_unavailable', `Hugging Face answered HTTP ${response.status} when asked where the Space ${id} runs. The job will be retried.`, true);
  const body = (await response.json().catch(() => null)) as { host?: unknown } | null;
  const host = typeof body?.host === 'string' ? body.host : '';
  if (!/^https?:\/\//.test(host) || !URL.canParse(host)) throw new EngineError('space_unavailable', `Hugging Face gave no address for the Space ${id}; it may still be building. The job will be retried.`, true);
  const url = new URL(host);
  return { ...targetFromUrl(reference, url), spaceId: id };
}

export interface SpaceClientOptions {
  token?: string;
  /** every plain request (not the SSE streams) gives up after this long */
  requestTimeoutMs: number;
}

// The client declares `RequestInfo | URL`, a DOM type the API's compilation does not load.
type FetchInput = string | URL | Request;
type FetchInit = Parameters<Client['fetch']>[1];

/** Thrown (inside the client) for a request to another origin than the Space's. */
export class ForeignOriginError extends Error {
  constructor(readonly url: string) {
    super(`refused a request to ${new URL(url).origin}: only the Space's own host is contacted`);
    this.name = 'ForeignOriginError';
  }
}

/**
 * A `Client` bound to one origin. Also remembers the last non-2xx answers (so errors can
 * be told apart by status, not only by message) and every stream it opened (so `close`
 * ends them all: the client itself only aborts the latest).
 */
export class SpaceClient extends Client {
  private target!: SpaceTarget;
  private requestTimeoutMs!: number;
  private readonly controllers = new Set<AbortController>();
  private readonly failures: (HttpFailure & { at: number })[] = [];

  /** Connects (config + API info) to the target; nothing is sent anywhere else. */
  static async open(target: SpaceTarget, options: SpaceClientOptions): Promise<SpaceClient> {
    const client = new SpaceClient(target.baseUrl, {
      events: ['data', 'status'],
      headers: options.token ? { Authorization: `Bearer ${options.token}` } : undefined,
      record_history: false,
    });
    client.target = target;
    client.requestTimeoutMs = options.requestTimeoutMs;
    // The app's config names the `root` every later request goes to; a Space behind a
    // proxy may report another host. We keep talking to the address we were given. (The
    // client binds `resolve_config` to itself in its constructor, so it can be wrapped.)
    const internals = client as unknown as { resolve_config: (endpoint: string, stripPage?: boolean) => Promise<Config | undefined> };
    const resolveConfig = internals.resolve_config;
    internals.resolve_config = async (endpoint, stripPage) => {
      const config = await resolveConfig(endpoint, stripPage);
      if (config && (!URL.canParse(config.root) || new URL(config.root).origin !== target.origin)) config.root = target.baseUrl;
      return config;
    };
    try {
      await (client as unknown as { init(): Promise<void> }).init();
    } catch (error) {
      client.close();
      // what the Space answered tells a private Space (401) from a sleeping one (503)
      const failure = client.lastFailure(0);
      if (failure && error instanceof Error) Object.assign(error, { httpFailure: failure });
      throw error;
    }
    return client;
  }

  /** The most recent failed HTTP answer since `since` (ms epoch), if any. */
  lastFailure(since: number): HttpFailure | undefined {
    for (let i = this.failures.length - 1; i >= 0; i--) {
      const f = this.failures[i];
      if (f.at < since) break;
      return { status: f.status, path: f.path };
    }
    return undefined;
  }

  private check(raw: string | URL): URL {
    const url = new URL(String(raw));
    if (url.origin !== this.target.origin) throw new ForeignOriginError(url.href);
    return url;
  }

  private note(url: URL, status: number): void {
    if (status < 400) return;
    this.failures.push({ status, path: url.pathname, at: Date.now() });
    if (this.failures.length > 20) this.failures.shift();
  }

  override async fetch(input: FetchInput, init?: FetchInit): Promise<Response> {
    let url = this.check(typeof input === 'object' && 'url' in input ? input.url : String(input));
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response = await super.fetch(url, { ...init, signal, redirect: 'manual' });
    // Follow same-origin redirects of reads only; never carry the token elsewhere.
    const method = (init?.method ?? 'GET').toUpperCase();
    for (let hops = 0; hops < 3 && response.status >= 300 && response.status < 400 && (method === 'GET' || method === 'HEAD'); hops++) {
      const location = response.headers.get('location');
      if (!location) break;
      url = this.check(new URL(location, url));
      await response.body?.cancel().catch(() => undefined);
      response = await super.fetch(url, { ...init, signal, redirect: 'manual' });
    }
    this.note(url, response.status);
    return response;
  }

  override stream(url: URL) {
    this.check(url);
    const stream = super.stream(url);
    for (const controller of this.controllers) if (controller.signal.aborted) this.controllers.delete(controller);
    if (this.abort_controller) this.controllers.add(this.abort_controller);
    return stream;
  }

  override close(): void {
    super.close();
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
  }
}
