import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ApiError } from '../common/api-error';
import { parseRange, type ByteSpan } from './byte-ranges';

/** One stored representation (a track's original, or a rendition) as HTTP serves it. */
export interface Representation {
  /** where the bytes are in the audio storage */
  key: string;
  size: number;
  modifiedAt: Date;
  contentType: string;
  /** Streams the whole representation, or the inclusive range of it. Rejects when the bytes are gone. */
  open(range?: ByteSpan): Promise<Readable>;
}

export interface SendOptions {
  /** `Content-Disposition` (downloads) */
  disposition?: string;
  cacheControl?: string;
}

/** A strong validator from the size and modification time, as nginx makes it. */
export function entityTag(size: number, modifiedAt: Date): string {
  return `"${Math.floor(modifiedAt.getTime() / 1000).toString(16)}-${size.toString(16)}"`;
}

/** The entity tags of an `If-Match` / `If-None-Match` list, or '*'. */
function parseTagList(header: string): '*' | { weak: boolean; opaque: string }[] {
  if (header.trim() === '*') return '*';
  const tags: { weak: boolean; opaque: string }[] = [];
  for (const match of header.matchAll(/(W\/)?("[^"]*")/g)) tags.push({ weak: Boolean(match[1]), opaque: match[2] });
  return tags;
}

function matchesAny(header: string, etag: string, strong: boolean): boolean {
  const tags = parseTagList(header);
  if (tags === '*') return true;
  return tags.some((tag) => tag.opaque === etag && !(strong && tag.weak));
}

/** An HTTP-date in whole seconds, or null when the value is not a date. */
function httpDate(value: string): number | null {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/**
 * Answers a GET or HEAD of a representation the way a static file server does (RFC 9110):
 * validators (`ETag`, `Last-Modified`); preconditions in the RFC's order (`If-Match`,
 * `If-Unmodified-Since` → 412; `If-None-Match`, `If-Modified-Since` → 304); `Range` with
 * `If-Range`: one range → 206 with `Content-Range`, several → 206 `multipart/byteranges`,
 * none satisfiable → 416 with `Content-Range: bytes *\/size`, malformed → the whole body.
 * The body streams from storage; a client that goes away stops the read and closes the file.
 */
export async function sendRepresentation(req: Request, res: Response, rep: Representation, options: SendOptions = {}): Promise<void> {
  const etag = entityTag(rep.size, rep.modifiedAt);
  const modifiedSeconds = Math.floor(rep.modifiedAt.getTime() / 1000);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', rep.modifiedAt.toUTCString());
  res.setHeader('Cache-Control', options.cacheControl ?? 'private');

  const ifMatch = req.headers['if-match'];
  const ifUnmodifiedSince = req.headers['if-unmodified-since'];
  if (ifMatch !== undefined ? !matchesAny(ifMatch, etag, true) : ifUnmodifiedSince !== undefined && (httpDate(ifUnmodifiedSince) ?? Infinity) < modifiedSeconds) {
    throw new ApiError(412, 'precondition_failed', 'The audio has changed since the version your request names (If-Match / If-Unmodified-Since); fetch it again.');
  }
  const ifNoneMatch = req.headers['if-none-match'];
  const ifModifiedSince = req.headers['if-modified-since'];
  const notModified = ifNoneMatch !== undefined ? matchesAny(ifNoneMatch, etag, false) : ifModifiedSince !== undefined && modifiedSeconds <= (httpDate(ifModifiedSince) ?? -Infinity);
  if (notModified) {
    res.status(304).end();
    return;
  }

  const isHead = req.method === 'HEAD';
  const ifRange = req.headers['if-range'];
  const rangeHeader = req.method === 'GET' && ifRangeHolds(typeof ifRange === 'string' ? ifRange : undefined, etag, modifiedSeconds) ? req.headers.range : undefined;
  const request = parseRange(rangeHeader, rep.size);
  if (request.kind === 'unsatisfiable') {
    throw new ApiError(416, 'range_not_satisfiable', `The requested range is outside the audio, which is ${rep.size} bytes long.`, { size: rep.size }, { 'Content-Range': `bytes */${rep.size}` });
  }

  // Only a successful answer is an attachment; an error's JSON is not a file to save.
  if (options.disposition) res.setHeader('Content-Disposition', options.disposition);
  if (request.kind === 'none' || isHead) {
    res.status(200).setHeader('Content-Type', rep.contentType);
    res.setHeader('Content-Length', rep.size);
    if (isHead) return void res.end();
    return stream(res, await rep.open());
  }

  const { ranges } = request;
  res.status(206);
  if (ranges.length === 1) {
    const [range] = ranges;
    res.setHeader('Content-Type', rep.contentType);
    res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${rep.size}`);
    res.setHeader('Content-Length', range.end - range.start + 1);
    return stream(res, await rep.open(range));
  }

  const boundary = randomBytes(12).toString('hex');
  const heads = ranges.map((range) => Buffer.from(`\r\n--${boundary}\r\nContent-Type: ${rep.contentType}\r\nContent-Range: bytes ${range.start}-${range.end}/${rep.size}\r\n\r\n`));
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = ranges.reduce((sum, range, i) => sum + heads[i].length + range.end - range.start + 1, tail.length);
  res.setHeader('Content-Type', `multipart/byteranges; boundary=${boundary}`);
  res.setHeader('Content-Length', length);
  const first = await rep.open(ranges[0]); // a missing file fails before any byte is sent
  async function* parts() {
    try {
      for (let i = 0; i < ranges.length; i++) {
        yield heads[i];
        yield* i === 0 ? first : await rep.open(ranges[i]);
      }
      yield tail;
    } finally {
      first.destroy(); // a client gone before the first part began: its file is still open
    }
  }
  stream(res, Readable.from(parts(), { objectMode: false }));
}

/** `If-Range`: the range applies only if the validator still matches (strongly) the current one. */
function ifRangeHolds(header: string | undefined, etag: string, modifiedSeconds: number): boolean {
  if (header === undefined) return true;
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  return httpDate(value) === modifiedSeconds;
}

/**
 * Pipes the body into the response. The response closing, whether it finished or the
 * client went away, destroys the body, which closes the file; a failing read cuts the
 * response short, so the client sees a truncated body rather than a complete-looking one.
 * (Plain `pipe` rather than `stream.pipeline`: a pipeline's abort signal and listeners
 * were a third of what a range request left for the garbage collector to promote.)
 */
function stream(res: Response, body: Readable): void {
  res.once('close', () => body.destroy());
  body.once('error', () => res.destroy());
  body.pipe(res);
}
