/**
 * The HTTP server: Gradio routes under the layout's prefix, the `/__fake/*` control
 * routes, the request log, and start/stop.
 *
 * Routes (prefix "/gradio_api" for the gradio5 layout, "" for gradio4; `/config` is
 * never prefixed, exactly as in Gradio 5 where it stays on the app and the rest moves
 * to the `/gradio_api` router):
 *   GET  /config                         app config (client reads api_prefix/protocol/root here)
 *   GET  <p>/info                        view_api document
 *   GET  <p>/app_id
 *   POST <p>/queue/join                  -> {event_id}
 *   GET  <p>/queue/data?session_hash=    SSE stream of the session's messages
 *   GET  <p>/heartbeat/<session_hash>    SSE "data: ALIVE" every heartbeatMs
 *   POST <p>/upload                      multipart "files" -> ["/tmp/gradio/<hash>/<name>", ...]
 *   GET  <p>/file=<path>                 files created or received by the server (HEAD, Range)
 *   POST <p>/cancel, <p>/reset
 *   POST <p>/run/<api_name>              queue=False dependencies only
 *   GET  /api/whoami-v2                  Hugging Face's token check (not the Space's: stands in for HF_HUB_URL)
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenHttp } from '@texttune/tool-http';
import { appDefinition, type AppDef } from './apps';
import { apiPrefix, buildApiInfo, buildConfig } from './gradio-config';
import { refuseJoin, refuseRequest, type Refusal } from './failures';
import { FileStore, mimeFromName, type StoredFileInfo } from './file-store';
import { HttpError, parseJson, parseMultipart, readBody, sendJson, sendText } from './http';
import { QueueEngine, type JobRecord } from './queue';
import { pickHeaders, RequestLog, type RequestLogEntry, type RouteName, type UploadSummary } from './request-log';
import { DEFAULT_SETTINGS, mergeSettings, parseSettingsPatch } from './settings';
import { isJsonObject, type FakeSpaceSettings, type Json } from './types';

export interface FakeSpaceOptions extends Partial<FakeSpaceSettings> {
  /** 0 (default) picks a free port */
  port?: number;
  host?: string;
}

export interface FakeSpace {
  /** `http://host:port`, what to pass to `Client.connect` */
  readonly url: string;
  readonly port: number;
  settings(): FakeSpaceSettings;
  configure(patch: Partial<FakeSpaceSettings>): FakeSpaceSettings;
  /** Forgets requests, jobs and files; restores the start-up settings unless `keepSettings`. */
  reset(options?: { keepSettings?: boolean }): void;
  requests(route?: RouteName): RequestLogEntry[];
  jobs(): JobRecord[];
  files(): StoredFileInfo[];
  fileBytes(path: string): Buffer | undefined;
  close(): Promise<void>;
}

interface Route {
  name: RouteName;
  /** remainder after the route's fixed part (file path, session hash, api name) */
  arg: string;
}

/** Maps a path to a route under the given prefix; null when it is not a Gradio route. */
export function classify(path: string, prefix: string): Route | null {
  if (path === '/config' || path === '/config/') return { name: 'config', arg: '' };
  if (path === '/') return { name: 'root', arg: '' };
  if (prefix && !path.startsWith(`${prefix}/`)) return null;
  const rest = path.slice(prefix.length);
  if (rest.startsWith('/file=')) return { name: 'file', arg: rest.slice('/file='.length) };
  const fixed: Record<string, RouteName> = {
    '/info': 'info',
    '/info/': 'info',
    '/app_id': 'app_id',
    '/app_id/': 'app_id',
    '/queue/join': 'join',
    '/queue/data': 'data',
    '/upload': 'upload',
    '/cancel': 'cancel',
    '/reset': 'reset',
    '/reset/': 'reset',
  };
  if (fixed[rest]) return { name: fixed[rest], arg: '' };
  if (rest.startsWith('/heartbeat/')) return { name: 'heartbeat', arg: rest.slice('/heartbeat/'.length) };
  const run = /^\/(?:run|api)\/([^/]+)\/?$/.exec(rest);
  if (run) return { name: 'run', arg: decodeURIComponent(run[1]) };
  return null;
}

function rootOf(req: IncomingMessage, settings: FakeSpaceSettings): string {
  if (settings.publicRoot) return settings.publicRoot.replace(/\/$/, '');
  const proto = (req.headers['x-forwarded-proto'] as string | undefined)?.split(',')[0]?.trim() || 'http';
  return `${proto}://${req.headers.host ?? 'localhost'}`;
}

function refuse(res: ServerResponse, refusal: Refusal): void {
  sendText(res, refusal.status, refusal.body, refusal.contentType);
}

export async function startFakeSpace(options: FakeSpaceOptions = {}): Promise<FakeSpace> {
  const { port = 0, host = '127.0.0.1', ...initial } = options;
  const startSettings = mergeSettings(DEFAULT_SETTINGS, initial);
  let settings = { ...startSettings };
  let app: AppDef = appDefinition(settings.app);
  const appId = Math.floor(Math.random() * 2 ** 52);
  const files = new FileStore();
  const log = new RequestLog();
  const queue = new QueueEngine(files, () => settings, () => app);
  const heartbeats = new Set<ServerResponse>();

  const configure = (patch: Partial<FakeSpaceSettings>): FakeSpaceSettings => {
    settings = mergeSettings(settings, patch);
    if (app.name !== settings.app) app = appDefinition(settings.app);
    return { ...settings };
  };

  const reset = (opts: { keepSettings?: boolean } = {}): void => {
    log.clear();
    queue.clearRecords();
    files.clear();
    if (!opts.keepSettings) configure(startSettings);
  };

  async function handleFake(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    if (req.method === 'GET' && path === '/__fake/requests') {
      const route = url.searchParams.get('route');
      const requests = log.list().filter((e) => !route || e.route === route);
      return sendJson(res, 200, { requests: requests as unknown as Json });
    }
    if (req.method === 'GET' && path === '/__fake/jobs') return sendJson(res, 200, { jobs: queue.jobs() as unknown as Json });
    if (req.method === 'GET' && path === '/__fake/files') {
      const base = `${rootOf(req, settings)}${apiPrefix(settings.layout)}`;
      return sendJson(res, 200, { files: files.list().map((f) => ({ ...f, url: `${base}/file=${f.path}` })) as unknown as Json });
    }
    if (req.method === 'GET' && (path === '/__fake/config' || path === '/__fake/settings')) return sendJson(res, 200, { ...settings });
    if (req.method === 'POST' && path === '/__fake/config') {
      const patch = parseSettingsPatch(parseJson(await readBody(req)));
      return sendJson(res, 200, { ...configure(patch) });
    }
    if (req.method === 'POST' && path === '/__fake/reset') {
      const raw = await readBody(req);
      const body = raw.length ? parseJson(raw) : {};
      reset({ keepSettings: isJsonObject(body) && body.keepSettings === true });
      return sendJson(res, 200, { ...settings });
    }
    if (req.method === 'GET' && path === '/__fake/health') return sendJson(res, 200, { ok: true, app: settings.app, layout: settings.layout, fail: settings.fail });
    sendJson(res, 404, { detail: 'Not Found' });
  }

  async function handleGradio(req: IncomingMessage, res: ServerResponse, url: URL, route: Route, entry: RequestLogEntry): Promise<void> {
    const prefix = apiPrefix(settings.layout);
    const root = rootOf(req, settings);
    const method = req.method ?? 'GET';
    const refusal = refuseRequest(settings, entry.authorization);
    if (refusal) return refuse(res, refusal);

    switch (route.name) {
      case 'root':
        return sendText(res, 200, `<!DOCTYPE html><html><body><h1>${app.title}</h1><p>fake Gradio Space (${settings.layout})</p></body></html>`, 'text/html; charset=utf-8');
      case 'config': {
        const config = buildConfig(app, settings.layout, root, appId);
        config.connect_heartbeat = settings.connectHeartbeat;
        return sendJson(res, 200, config);
      }
      case 'info':
        return sendJson(res, 200, buildApiInfo(app));
      case 'app_id':
        return sendJson(res, 200, { app_id: appId });
      case 'join': {
        if (method !== 'POST') break;
        const body = parseJson(await readBody(req));
        entry.body = body;
        const joinRefusal = refuseJoin(settings);
        if (joinRefusal) return refuse(res, joinRefusal);
        if (!isJsonObject(body)) throw new HttpError(422, { detail: 'body must be an object' });
        if (typeof body.session_hash !== 'string' || !body.session_hash) throw new HttpError(400, { detail: 'Session hash not found.' });
        if (typeof body.fn_index !== 'number' || !Array.isArray(body.data)) {
          throw new HttpError(422, { detail: [{ type: 'missing', loc: ['body', 'fn_index'], msg: 'Field required' }] });
        }
        const endpoint = app.endpoints.find((e) => e.id === body.fn_index);
        if (!endpoint) throw new HttpError(400, { detail: `fn_index ${body.fn_index} does not exist` });
        const eventId = queue.join({ sessionHash: body.session_hash, fnIndex: body.fn_index, data: body.data, fileBase: `${root}${prefix}` }, endpoint);
        return sendJson(res, 200, { event_id: eventId });
      }
      case 'data': {
        const hash = url.searchParams.get('session_hash') ?? '';
        if (!queue.hasSession(hash)) return sendJson(res, 404, { detail: 'Session not found.' });
        queue.attachStream(hash, res);
        return;
      }
      case 'heartbeat': {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write('data: ALIVE\n\n');
        const timer = setInterval(() => res.write('data: ALIVE\n\n'), settings.heartbeatMs);
        heartbeats.add(res);
        res.on('close', () => {
          clearInterval(timer);
          heartbeats.delete(res);
        });
        return;
      }
      case 'upload': {
        if (method !== 'POST') break;
        const contentType = req.headers['content-type'] ?? '';
        if (!contentType.startsWith('multipart/form-data')) throw new HttpError(400, { detail: 'Invalid content type.' });
        const parts = parseMultipart(await readBody(req), contentType);
        const uploads: UploadSummary[] = [];
        for (const part of parts.filter((p) => p.name === 'files' && p.fileName !== null)) {
          const name = part.fileName || 'file';
          const stored = files.put(part.data, name, part.contentType && part.contentType !== 'application/octet-stream' ? part.contentType : mimeFromName(name), 'upload');
          uploads.push({ field: part.name, fileName: name, size: part.data.length, sha256: stored.sha256, path: stored.path });
        }
        entry.uploads = uploads;
        return sendJson(res, 200, uploads.map((u) => u.path));
      }
      case 'file':
        return serveFile(req, res, route.arg);
      case 'cancel': {
        if (method !== 'POST') break;
        const body = parseJson(await readBody(req));
        entry.body = body;
        if (isJsonObject(body) && typeof body.event_id === 'string' && typeof body.session_hash === 'string') queue.cancel(body.event_id, body.session_hash);
        return sendJson(res, 200, { success: true });
      }
      case 'reset': {
        if (method !== 'POST') break;
        const raw = await readBody(req);
        entry.body = raw.length ? parseJson(raw) : null;
        return sendJson(res, 200, { success: true });
      }
      case 'run': {
        if (method !== 'POST') break;
        const body = parseJson(await readBody(req));
        entry.body = body;
        const endpoint = app.endpoints.find((e) => e.apiName === route.arg);
        if (!endpoint) throw new HttpError(404, { detail: `api_name '${route.arg}' not found` });
        if (endpoint.queue) {
          // Gradio 4+/5 with api_open=False (the default)
          throw new HttpError(404, { detail: 'This API endpoint does not accept direct HTTP POST requests. Please join the queue to use this API.' });
        }
        const data = isJsonObject(body) && Array.isArray(body.data) ? body.data : [];
        const session = isJsonObject(body) && typeof body.session_hash === 'string' ? body.session_hash : '';
        const result = await queue.runDirect(endpoint, session, data, `${root}${prefix}`);
        if ('data' in result) {
          return sendJson(res, 200, { data: result.data, is_generating: false, duration: 0.01, average_duration: 0.01, render_config: null, changed_state_ids: [] });
        }
        return sendJson(res, 500, { error: result.error });
      }
      default:
        break;
    }
    sendJson(res, 405, { detail: 'Method Not Allowed' });
  }

  function serveFile(req: IncomingMessage, res: ServerResponse, rawPath: string): void {
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      throw new HttpError(400, { detail: 'bad path' });
    }
    if (/^https?:\/\//.test(path)) {
      // Gradio redirects file=<url> to the URL itself
      res.writeHead(302, { location: path });
      res.end();
      return;
    }
    const file = files.get(path);
    if (!file) throw new HttpError(403, { detail: `File not allowed: ${path}.` });
    const headers: Record<string, string> = {
      'content-type': file.mimeType,
      'content-disposition': `inline; filename="${file.origName}"`,
      'accept-ranges': 'bytes',
    };
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let body = file.bytes;
    let status = 200;
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), file.bytes.length - 1) : file.bytes.length - 1;
      if (start >= file.bytes.length || start > end) {
        res.writeHead(416, { 'content-range': `bytes */${file.bytes.length}` });
        res.end();
        return;
      }
      body = file.bytes.subarray(start, end + 1);
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${file.bytes.length}`;
    }
    if (!file.chunked || status === 206) headers['content-length'] = String(body.length);
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (!file.chunked) {
      res.end(body);
      return;
    }
    // unknown length: stream in 64 KiB chunks with Transfer-Encoding: chunked
    let offset = 0;
    const pump = (): void => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + 65536);
        offset += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  }

  /**
   * Hugging Face's `GET /api/whoami-v2`: the account of a known token (`hubAccounts`, or
   * `requireToken`), 401 with Hugging Face's error body otherwise.
   */
  async function whoami(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (settings.hubDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.hubDelayMs));
    if (res.destroyed) return;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return sendJson(res, 401, { error: 'Invalid username or password.' });
    const name = Object.hasOwn(settings.hubAccounts, token) ? settings.hubAccounts[token] : token === settings.requireToken ? 'space-owner' : null;
    if (!name) return sendJson(res, 401, { error: 'Invalid credentials in Authorization header' });
    sendJson(res, 200, {
      type: 'user',
      id: createHash('sha256').update(name).digest('hex').slice(0, 24),
      name,
      fullname: name,
      email: null,
      emailVerified: false,
      canPay: false,
      isPro: false,
      periodEnd: null,
      avatarUrl: '',
      orgs: [],
      auth: { type: 'access_token', accessToken: { displayName: 'fake-space', role: 'read', createdAt: '2025-01-01T00:00:00.000Z' } },
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-space.local');
    res.setHeader('access-control-allow-origin', '*');
    if (url.pathname.startsWith('/__fake/')) return handleFake(req, res, url);
    if (url.pathname === '/api/whoami-v2' && req.method === 'GET') {
      const entry = log.add({ method: 'GET', url: req.url ?? '/', path: url.pathname, route: 'whoami', authorization: req.headers.authorization ?? null, headers: pickHeaders(req.headers) });
      res.on('finish', () => (entry.status = res.statusCode));
      return whoami(req, res);
    }
    const route = classify(url.pathname, apiPrefix(settings.layout));
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : null;
    const entry = log.add({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path: url.pathname,
      route: route?.name ?? 'unknown',
      authorization,
      headers: pickHeaders(req.headers),
    });
    const recordStatus = (): void => {
      if (res.headersSent) entry.status = res.statusCode;
    };
    res.on('finish', recordStatus);
    res.on('close', recordStatus);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': '*', 'access-control-allow-headers': '*' });
      res.end();
      return;
    }
    if (!route) {
      sendJson(res, 404, { detail: 'Not Found' });
      return;
    }
    await handleGradio(req, res, url, route, entry);
    recordStatus();
  }

  const server = await listenHttp({
    port,
    host,
    handle,
    answerError: (err, res) => {
      if (err instanceof HttpError) sendJson(res, err.status, err.body);
      else sendJson(res, 500, { detail: err instanceof Error ? err.message : String(err) });
    },
    beforeClose: () => {
      queue.shutdown();
      for (const res of heartbeats) res.end();
    },
  });

  return {
    url: server.url,
    port: server.port,
    settings: () => ({ ...settings }),
    configure,
    reset,
    requests: (route) => log.list().filter((e) => !route || e.route === route),
    jobs: () => queue.jobs(),
    files: () => files.list(),
    fileBytes: (path) => files.get(path)?.bytes,
    close: server.close,
  };
}
