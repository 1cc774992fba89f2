/** Small node:http helpers: bodies, JSON and text answers, and the form/JSON readers both APIs accept. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A ready answer: thrown by handlers, written by the server. */
export class Reply extends Error {
  constructor(
    readonly status: number,
    readonly body: Json | string,
    readonly contentType = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) throw new Reply(413, { error: 'Request body too large' });
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function send(res: ServerResponse, status: number, body: Json | string, contentType?: string): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType ?? (typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json'),
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Form fields as LibreTranslate's `request.values` and Google's query/form parameters see them. */
export function formFields(params: URLSearchParams): { [key: string]: string | string[] } {
  const out: { [key: string]: string | string[] } = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/** Resolves after `ms`, or early when the client goes away. */
export function pause(ms: number, req: IncomingMessage, timers: Set<NodeJS.Timeout>): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      timers.delete(timer);
      req.socket.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timers.add(timer);
    req.socket.once('close', done);
  });
}
