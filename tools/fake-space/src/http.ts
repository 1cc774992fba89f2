/** The fake Space's own HTTP pieces: FastAPI's error bodies, its body limit, and a multipart/form-data reader. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody as readBoundedBody, send, type Json } from '@texttune/tool-http';

export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

export const readBody = (req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> => readBoundedBody(req, limit, () => new HttpError(413, { detail: 'Request body too large.' }));

export function parseJson(body: Buffer): Json {
  try {
    return JSON.parse(body.toString('utf8')) as Json;
  } catch {
    // FastAPI answers malformed JSON bodies with 422
    throw new HttpError(422, { detail: [{ type: 'json_invalid', loc: ['body'], msg: 'JSON decode error' }] });
  }
}

export const sendJson = (res: ServerResponse, status: number, body: Json, headers: Record<string, string> = {}): void => send(res, status, body, 'application/json', headers);

export const sendText = (res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void => send(res, status, text, contentType);

export interface MultipartPart {
  name: string;
  fileName: string | null;
  contentType: string | null;
  data: Buffer;
}

/** Parses a multipart/form-data body (what undici's FormData sends for `upload`). */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!match) throw new HttpError(400, { detail: 'Invalid content type.' });
  const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break; // closing delimiter
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd === -1) break;
    const next = body.indexOf(delimiter, headerEnd + 4);
    if (next === -1) break;
    const headerText = body.subarray(start + 2, headerEnd).toString('utf8');
    const data = body.subarray(headerEnd + 4, next - 2); // strip the CRLF before the next delimiter
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headerText)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
    const partType = /content-type:\s*([^\r\n]*)/i.exec(headerText)?.[1]?.trim() ?? null;
    parts.push({ name, fileName, contentType: partType, data: Buffer.from(data) });
    pos = next;
  }
  return parts;
}
