import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { ApiError } from '../common/api-error';

/** The request header that carries the key (draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Set to `true` on a response that is a stored one answered again. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** An RFC 8941 sf-string: DQUOTE *( unescaped / "\" ( DQUOTE / "\" ) ) DQUOTE, over printable ASCII. */
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

const invalidKey = (reason: string) => {
  const sentence = `${IDEMPOTENCY_KEY_HEADER} ${reason}; send 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters, e.g. a UUID such as 8e03978e-40d5-43e8-bc93-6894a57f9324`;
  return new ApiError(400, 'validation_failed', `The request is invalid: ${sentence}.`, { fields: { [IDEMPOTENCY_KEY_HEADER]: [sentence] } });
};

/**
 * The key of an `Idempotency-Key` header value. The draft defines the field as a
 * Structured Field string (`"8e03978e-…"`), while most clients send the bare value
 * (`8e03978e-…`); both name the same key. A value that starts with a double quote must
 * be a well-formed sf-string. Throws 400 `validation_failed` naming the header.
 */
export function parseIdempotencyKey(value: string | string[]): string {
  if (Array.isArray(value)) throw invalidKey('must be sent once');
  let key = value;
  if (value.startsWith('"')) {
    const quoted = SF_STRING.exec(value);
    if (!quoted) throw invalidKey('starts with a double quote but is not a well-formed quoted string');
    key = quoted[1].replace(/\\(["\\])/g, '$1');
  }
  if (key.length === 0) throw invalidKey('is empty');
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw invalidKey(`is ${key.length} characters long`);
  if (!PRINTABLE_ASCII.test(key)) throw invalidKey('contains a character that is not printable ASCII');
  return key;
}

/**
 * What makes two requests "the same" for one key: the method, the path and the JSON body
 * in its RFC 8785 canonical form (so key order and number spelling do not matter), hashed
 * with SHA-256.
 */
export function requestFingerprint(method: string, path: string, body: unknown): Buffer {
  return createHash('sha256')
    .update(`${method.toUpperCase()}\n${path}\n`)
    .update(canonicalize(body ?? null))
    .digest();
}
