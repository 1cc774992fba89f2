/**
 * The HTTP server: LibreTranslate's and Google Cloud Translation v2's translate routes,
 * the `/__fake/*` control routes, the request log, and start/stop.
 *
 *   POST /translate                  LibreTranslate: JSON or form {q, source, target, format?, api_key?}
 *                                    → {translatedText} (+ detectedLanguage for source "auto"),
 *                                    errors {error: "..."} with 400 / 403 / 429 / 500
 *   GET  /languages                  LibreTranslate: [{code, name, targets}]
 *   POST|GET /language/translate/v2  Google v2: ?key=… and JSON, form or query {q, source?, target, format?}
 *                                    → {data: {translations: [{translatedText, detectedSourceLanguage?}]}},
 *                                    errors {error: {code, message, errors: [{message, domain, reason}], status}}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonObject, listenHttp, send, type Json } from '@texttune/tool-http';
import { detect, escapeHtml, LANGUAGE_CODES, LANGUAGES, translateText } from './engine';
import { formFields, pause, readBody, Reply } from './http';
import { DEFAULT_SETTINGS, parseSettingsPatch, type FakeTranslateSettings } from './settings';

export type ApiName = 'libretranslate' | 'google' | 'languages' | 'unknown';

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  /** path and query as received */
  url: string;
  path: string;
  api: ApiName;
  query: { [key: string]: string | string[] };
  headers: { [name: string]: string };
  /** the parsed JSON or form body; the raw text when it did not parse */
  body?: Json | { [key: string]: string | string[] };
  status?: number;
}

export interface FakeTranslateOptions extends Partial<FakeTranslateSettings> {
  /** 0 (default) picks a free port */
  port?: number;
  host?: string;
}

export interface FakeTranslate {
  /** `http://host:port`: LibreTranslate's base URL, and Google's with `/language/translate/v2` appended by clients */
  readonly url: string;
  readonly port: number;
  settings(): FakeTranslateSettings;
  configure(patch: Partial<FakeTranslateSettings>): FakeTranslateSettings;
  /** Forgets requests; restores the start-up settings unless `keepSettings`. */
  reset(options?: { keepSettings?: boolean }): void;
  requests(api?: ApiName): RequestLogEntry[];
  close(): Promise<void>;
}

const KEPT_HEADERS = ['content-type', 'content-length', 'accept', 'user-agent', 'authorization', 'x-goog-api-key'];

type Fields = { [key: string]: unknown };

// ---------------------------------------------------------------- error bodies

const libreError = (status: number, error: string): Reply => new Reply(status, { error });

function googleError(code: number, message: string, reason: string, status: string, domain = 'global'): Reply {
  return new Reply(code, { error: { code, message, errors: [{ message, domain, reason }], status } });
}

const GOOGLE_QUOTA_MESSAGE = 'Daily Limit Exceeded';
const GOOGLE_RATE_MESSAGE =
  "Quota exceeded for quota metric 'v2 and v3 general model characters' and limit 'v2 and v3 general model characters per minute per user' of service 'translate.googleapis.com' for consumer 'project_number:000000000000'.";
const GOOGLE_BAD_KEY = 'API key not valid. Please pass a valid API key.';
const GOOGLE_NO_KEY = 'The request is missing a valid API key.';

/** The answer a failure mode gives instead of a translation; null when the request goes through. */
function failureReply(api: 'libretranslate' | 'google', mode: FakeTranslateSettings['fail']): Reply | null {
  const google = api === 'google';
  switch (mode) {
    case 'quota':
      return google ? googleError(403, GOOGLE_QUOTA_MESSAGE, 'dailyLimitExceeded', 'PERMISSION_DENIED', 'usageLimits') : libreError(429, 'Slowdown: 30 per 1 minute');
    case 'rate-limit':
      return google ? googleError(429, GOOGLE_RATE_MESSAGE, 'rateLimitExceeded', 'RESOURCE_EXHAUSTED') : libreError(403, 'Too many request limits violations');
    case 'auth':
      return google ? googleError(400, GOOGLE_BAD_KEY, 'badRequest', 'INVALID_ARGUMENT') : libreError(403, 'Invalid API key');
    case 'error':
      return google ? googleError(500, 'Internal error encountered.', 'backendError', 'INTERNAL') : libreError(500, 'Cannot translate text: model crashed');
    case 'unavailable':
      return new Reply(503, '<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>', 'text/html');
    case 'html-page':
      return new Reply(200, '<!DOCTYPE html><html><body><p>Please sign in to continue.</p></body></html>', 'text/html; charset=utf-8');
    case 'malformed-json':
      return new Reply(200, google ? '{"data": {"translations": [{"translatedText": "calm ja' : '{"translatedText": "calm ja', 'application/json');
    case 'wrong-shape':
      return new Reply(200, google ? { data: { translations: [] } } : { result: 'calm jazz piano' });
    default:
      return null;
  }
}

// ---------------------------------------------------------------- request bodies

async function readFields(req: IncomingMessage, entry: RequestLogEntry, onBadJson: () => Reply): Promise<Fields> {
  const raw = await readBody(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!raw.length) return {};
  const text = raw.toString('utf8');
  if (type.includes('application/json')) {
    let parsed: Json;
    try {
      parsed = JSON.parse(text) as Json;
    } catch {
      entry.body = text;
      throw onBadJson();
    }
    entry.body = parsed;
    if (!isJsonObject(parsed)) throw onBadJson();
    return parsed;
  }
  const form = formFields(new URLSearchParams(text));
  entry.body = form;
  return form;
}

const asTexts = (q: unknown): string[] | null => {
  if (typeof q === 'string') return [q];
  if (Array.isArray(q) && q.length && q.every((v) => typeof v === 'string')) return q as string[];
  return null;
};

export async function startFakeTranslate(options: FakeTranslateOptions = {}): Promise<FakeTranslate> {
  const { port = 0, host = '127.0.0.1', ...initial } = options;
  const startSettings: FakeTranslateSettings = { ...DEFAULT_SETTINGS, ...initial, translations: { ...(initial.translations ?? {}) } };
  let settings: FakeTranslateSettings = { ...startSettings };
  let log: RequestLogEntry[] = [];
  let seq = 0;
  const timers = new Set<NodeJS.Timeout>();

  const configure = (patch: Partial<FakeTranslateSettings>): FakeTranslateSettings => {
    settings = { ...settings, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    return { ...settings };
  };

  /** Waits for the configured delay (and `slow`); false when the client left meanwhile. */
  async function hold(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    await pause(settings.delayMs + (settings.fail === 'slow' ? settings.slowMs : 0), req, timers);
    return !res.destroyed && !req.socket.destroyed;
  }

  async function libreTranslate(req: IncomingMessage, entry: RequestLogEntry): Promise<Json> {
    const fields = await readFields(req, entry, () => libreError(400, 'Invalid JSON format'));
    // access_check: ban / key checks come before the parameters
    const failure = failureReply('libretranslate', settings.fail);
    if (failure && failure.status !== 200) throw failure;
    if (settings.apiKey) {
      const key = typeof fields.api_key === 'string' ? fields.api_key : '';
      if (key && key !== settings.apiKey) throw libreError(403, 'Invalid API key');
      if (!key) throw libreError(400, 'Please contact the server operator to get an API key');
    }
    if (failure) throw failure;
    const texts = asTexts(fields.q);
    if (!texts || !texts.some((t) => t)) throw libreError(400, 'Invalid request: missing q parameter');
    const source = typeof fields.source === 'string' ? fields.source : '';
    const target = typeof fields.target === 'string' ? fields.target : '';
    if (!source) throw libreError(400, 'Invalid request: missing source parameter');
    if (!target) throw libreError(400, 'Invalid request: missing target parameter');
    if (source !== 'auto' && !LANGUAGE_CODES.includes(source)) throw libreError(400, `${source} is not supported`);
    if (!LANGUAGE_CODES.includes(target)) throw libreError(400, `${target} is not supported`);
    const format = typeof fields.format === 'string' && fields.format ? fields.format : 'text';
    if (format !== 'text' && format !== 'html') throw libreError(400, `${format} format is not supported`);
    const results = texts.map((t) => {
      const from = source === 'auto' ? detect(t) : source;
      if (settings.fail === 'empty') return '';
      if (settings.fail === 'untranslated') return t;
      return translateText(t, from, target, settings.translations);
    });
    const detected = texts.map((t) => ({ confidence: 90.0, language: detect(t) }));
    const single = typeof fields.q === 'string';
    return {
      translatedText: single ? results[0] : results,
      ...(source === 'auto' ? { detectedLanguage: single ? detected[0] : detected } : {}),
    };
  }

  async function googleTranslate(req: IncomingMessage, url: URL, entry: RequestLogEntry): Promise<Json> {
    const query = formFields(url.searchParams);
    const fields: Fields = req.method === 'POST' ? { ...query, ...(await readFields(req, entry, () => googleError(400, 'Invalid JSON payload received.', 'badRequest', 'INVALID_ARGUMENT'))) } : query;
    const key = typeof query.key === 'string' ? query.key : (req.headers['x-goog-api-key'] as string | undefined) ?? '';
    if (!key) throw googleError(403, GOOGLE_NO_KEY, 'forbidden', 'PERMISSION_DENIED');
    if (settings.apiKey && key !== settings.apiKey) {
      throw new Reply(400, {
        error: {
          code: 400,
          message: GOOGLE_BAD_KEY,
          errors: [{ message: GOOGLE_BAD_KEY, domain: 'global', reason: 'badRequest' }],
          status: 'INVALID_ARGUMENT',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
        },
      });
    }
    const failure = failureReply('google', settings.fail);
    if (failure) throw failure;
    const texts = asTexts(fields.q);
    if (!texts) throw googleError(400, 'Required Text', 'required', 'INVALID_ARGUMENT');
    const target = typeof fields.target === 'string' ? fields.target : '';
    if (!target) throw googleError(400, 'Required Target', 'required', 'INVALID_ARGUMENT');
    if (!LANGUAGE_CODES.includes(target)) throw googleError(400, 'Invalid Value', 'invalid', 'INVALID_ARGUMENT');
    const source = typeof fields.source === 'string' && fields.source ? fields.source : null;
    if (source && !LANGUAGE_CODES.includes(source)) throw googleError(400, 'Bad language pair: {0}', 'invalid', 'INVALID_ARGUMENT');
    const format = typeof fields.format === 'string' && fields.format ? fields.format : 'html';
    if (format !== 'text' && format !== 'html') throw googleError(400, 'Invalid Value', 'invalid', 'INVALID_ARGUMENT');
    const translations = texts.map((t) => {
      const from = source ?? detect(t);
      let out = settings.fail === 'empty' ? '' : settings.fail === 'untranslated' ? t : translateText(t, from, target, settings.translations);
      if (format === 'html' || settings.escapeEntities) out = escapeHtml(out);
      return { translatedText: out, ...(source ? {} : { detectedSourceLanguage: from }) };
    });
    return { data: { translations } };
  }

  async function handleFake(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = url.pathname.slice('/__fake/'.length);
    if (route === 'requests' && req.method === 'GET') {
      const api = url.searchParams.get('api');
      return send(res, 200, { requests: log.filter((e) => !api || e.api === api) as unknown as Json });
    }
    if (route === 'config' && req.method === 'GET') return send(res, 200, { ...settings });
    if (route === 'config' && req.method === 'POST') {
      const raw = (await readBody(req)).toString('utf8');
      let body: Json;
      try {
        body = JSON.parse(raw || '{}') as Json;
      } catch {
        throw new Reply(400, { error: 'invalid JSON' });
      }
      return send(res, 200, { ...configure(parseSettingsPatch(body)) });
    }
    if (route === 'reset' && req.method === 'POST') {
      const raw = (await readBody(req)).toString('utf8');
      let keep = false;
      try {
        const body = JSON.parse(raw || '{}') as Json;
        keep = isJsonObject(body) && body.keepSettings === true;
      } catch {
        throw new Reply(400, { error: 'invalid JSON' });
      }
      reset({ keepSettings: keep });
      return send(res, 200, { ok: true });
    }
    if (route === 'health' && req.method === 'GET') return send(res, 200, { ok: true, fail: settings.fail });
    send(res, 404, { error: 'Not Found' });
  }

  function reset(opts: { keepSettings?: boolean } = {}): void {
    log = [];
    if (!opts.keepSettings) settings = { ...startSettings, translations: { ...startSettings.translations } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-translate.local');
    if (url.pathname.startsWith('/__fake/')) return handleFake(req, res, url);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const api: ApiName = path === '/translate' ? 'libretranslate' : path === '/language/translate/v2' ? 'google' : path === '/languages' ? 'languages' : 'unknown';
    const headers: { [name: string]: string } = {};
    for (const name of KEPT_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const entry: RequestLogEntry = { seq: ++seq, at: new Date().toISOString(), method: req.method ?? 'GET', url: req.url ?? '/', path: url.pathname, api, query: formFields(url.searchParams), headers };
    log.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });

    let answer: Json;
    try {
      if (api === 'libretranslate') {
        if (req.method !== 'POST') throw new Reply(405, '<!doctype html><title>405 Method Not Allowed</title>', 'text/html; charset=utf-8');
        answer = await libreTranslate(req, entry);
      } else if (api === 'google') {
        if (req.method !== 'POST' && req.method !== 'GET') throw googleError(405, 'Method not allowed', 'badRequest', 'INVALID_ARGUMENT');
        answer = await googleTranslate(req, url, entry);
      } else if (api === 'languages' && req.method === 'GET') {
        answer = LANGUAGES.map((l) => ({ code: l.code, name: l.name, targets: LANGUAGE_CODES.filter((c) => c !== l.code) }));
      } else {
        throw new Reply(404, { error: 'Not Found' });
      }
    } catch (err) {
      if (!(err instanceof Reply)) throw err;
      if (!(await hold(req, res))) return;
      return send(res, err.status, err.body, err.contentType);
    }
    if (settings.fail === 'drop' && api !== 'languages') {
      req.socket.destroy();
      return;
    }
    if (!(await hold(req, res))) return;
    send(res, 200, answer);
  }

  const server = await listenHttp({
    port,
    host,
    handle,
    answerError: (err, res) => {
      if (err instanceof Reply) send(res, err.status, err.body, err.contentType);
      else send(res, 500, { error: err instanceof Error ? err.message : String(err) });
    },
    beforeClose: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  });

  return {
    url: server.url,
    port: server.port,
    settings: () => ({ ...settings }),
    configure,
    reset,
    requests: (api) => log.filter((e) => !api || e.api === api),
    close: server.close,
  };
}

