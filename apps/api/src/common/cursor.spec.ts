import { decodeCursor, encodeCursor } from './cursor';

const ID = '00000000-0000-4000-8000-000000000000';
const cursor = (text: string) => Buffer.from(text).toString('base64url');

describe('cursors', () => {
  it('decode what they encode', () => {
    const createdAt = new Date('2026-12-07T10:31:18.123Z');
    expect(decodeCursor(encodeCursor({ createdAt, id: ID }))).toEqual({ createdAt, id: ID });
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it.each(['-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '1', '2026-12-07', '2026-12-07T10:31:18Z', 'soon'])('refuse the time %s with 400 validation_failed', (time) => {
    expect(() => decodeCursor(cursor(`${time}|${ID}`))).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('refuse an id that is not a UUID', () => {
    expect(() => decodeCursor(cursor('2026-12-07T10:31:18.123Z|nope'))).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});
