import { ApiError } from '../common/api-error';
import { parseIdempotencyKey, requestFingerprint } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it.each([
    ['8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['"8e03978e-40d5-43e8-bc93-6894a57f9324"', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['"say \\"hi\\" \\\\ bye"', 'say "hi" \\ bye'],
    ['order 42', 'order 42'],
    ['x', 'x'],
  ])('reads %j as the key %j', (value, key) => {
    expect(parseIdempotencyKey(value)).toBe(key);
  });

  it('takes up to 255 characters, quoted or not', () => {
    expect(parseIdempotencyKey('~'.repeat(255))).toBe('~'.repeat(255));
    expect(parseIdempotencyKey(`"${'~'.repeat(255)}"`)).toBe('~'.repeat(255));
  });

  it.each([
    ['', 'is empty'],
    ['""', 'is empty'],
    ['k'.repeat(256), 'is 256 characters long'],
    [`"${'k'.repeat(256)}"`, 'is 256 characters long'],
    ['clé', 'not printable ASCII'],
    ['tab\there', 'not printable ASCII'],
    ['"open', 'not a well-formed quoted string'],
    ['"a"b"', 'not a well-formed quoted string'],
    ['"bad \\n escape"', 'not a well-formed quoted string'],
  ])('refuses %# (%j) with 400 validation_failed naming the header', (value, reason) => {
    let thrown: unknown;
    try {
      parseIdempotencyKey(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    const error = thrown as ApiError;
    expect({ status: error.getStatus(), code: error.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(error.message).toContain('Idempotency-Key');
    expect(error.message).toContain(reason);
    expect(Object.keys((error.details as { fields: Record<string, string[]> }).fields)).toEqual(['Idempotency-Key']);
  });

  it('refuses the header sent twice', () => {
    expect(() => parseIdempotencyKey(['a', 'b'])).toThrow(/sent once/);
  });
});

describe('requestFingerprint', () => {
  const fp = (method: string, path: string, body: unknown) => requestFingerprint(method, path, body).toString('hex');

  it('ignores key order and number spelling in the body', () => {
    expect(fp('POST', '/v1/generations', { prompt: 'a', params: { topK: 50, temperature: 1 } })).toBe(fp('post', '/v1/generations', JSON.parse('{"params":{"temperature":1.0,"topK":5e1},"prompt":"a"}')));
  });

  it('tells apart the method, the path, the body and array order', () => {
    const base = fp('POST', '/v1/generations', { prompt: 'a', tags: [1, 2] });
    expect(new Set([base, fp('PUT', '/v1/generations', { prompt: 'a', tags: [1, 2] }), fp('POST', '/v1/tracks/x/regenerate', { prompt: 'a', tags: [1, 2] }), fp('POST', '/v1/generations', { prompt: 'b', tags: [1, 2] }), fp('POST', '/v1/generations', { prompt: 'a', tags: [2, 1] })]).size).toBe(5);
  });

  it('treats a missing body as null', () => {
    expect(fp('POST', '/p', undefined)).toBe(fp('POST', '/p', null));
    expect(fp('POST', '/p', undefined)).not.toBe(fp('POST', '/p', {}));
  });
});
