/** The fake's own HTTP pieces: its answers, its body limit, and the form and JSON readers both APIs accept. */
import type { IncomingMessage } from 'node:http';
import { readBody as readBoundedBody, type Json } from '@texttune/tool-http';

export const MAX_BODY_BYTES = 1024 * 1024;

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

export const readBody = (req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> => readBoundedBody(req, limit, () => new Reply(413, { error: 'Request body too large' }));

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
