import iconv from 'iconv-lite';
import type { IncomingMessage } from 'node:http';

/**
 * How deeply a JSON request body may nest objects and arrays. Every request body of the
 * API is a few levels deep; the limit is far above that and far below the depth at which
 * turning a parsed body into DTOs and validating them (both recursive) overflows the stack.
 */
export const JSON_MAX_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * The deepest nesting of objects and arrays in UTF-8 JSON text, by one pass over the
 * bytes (brackets inside strings do not count; no recursion, no parsing). The bytes of
 * a multi-byte UTF-8 character are all ≥ 0x80, so none is taken for a bracket or quote.
 * Text that is not valid JSON gets some number; the JSON parser refuses it afterwards.
 */
export function jsonNestingDepth(bytes: Uint8Array): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > deepest) deepest = depth;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return deepest;
}

/** A body-parser error (the parser's own shape: `type` and `status`), rendered by `bodyParserErrors`. */
export class JsonTooDeepError extends Error {
  readonly type = 'entity.too.deep';
  readonly status = 400;
  constructor(readonly limit: number) {
    super(`JSON nested deeper than ${limit} levels`);
  }
}

/**
 * A body that body-parser decodes from a charset other than UTF-8 (UTF-16, UTF-32) is
 * decoded the same way (body-parser has checked that iconv-lite knows the charset)
 * and re-encoded before counting.
 */
function utf8(bytes: Buffer, encoding: string): Uint8Array {
  return /^utf-?8$/i.test(encoding) ? bytes : Buffer.from(iconv.decode(bytes, encoding), 'utf8');
}

/**
 * The JSON body parser's `verify` hook: refuses a body nested deeper than `limit`
 * before it is parsed into objects (so before anything recursive walks it).
 */
export const refuseDeepJson =
  (limit = JSON_MAX_DEPTH) =>
  (_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string): void => {
    if (jsonNestingDepth(utf8(body, encoding)) > limit) throw new JsonTooDeepError(limit);
  };
