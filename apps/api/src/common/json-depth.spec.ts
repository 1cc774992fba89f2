import { JSON_MAX_DEPTH, JsonTooDeepError, jsonNestingDepth, refuseDeepJson } from './json-depth';

const depth = (text: string) => jsonNestingDepth(Buffer.from(text, 'utf8'));

describe('jsonNestingDepth', () => {
  it.each([
    ['1', 0],
    ['"text"', 0],
    ['{}', 1],
    ['[]', 1],
    ['{"a":[1,{"b":{}}]}', 4],
    ['[[],[[]],[]]', 3],
    ['[{"a":1},{"b":[2]}]', 3],
  ])('%s is %i deep', (text, expected) => {
    expect(depth(text)).toBe(expected);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(depth('{"a":"[[[{{{"}')).toBe(1);
    expect(depth('{"a":"\\"[[[","b":["]]]\\\\"]}')).toBe(2);
    expect(depth('["\\\\",[[]]]')).toBe(3);
  });

  it('reads multi-byte UTF-8 without taking its bytes for brackets', () => {
    expect(depth('{"피아노":["🎹",{"키":"[["}]}')).toBe(3);
  });

  it('counts deep nesting without recursion', () => {
    const deep = `${'['.repeat(500_000)}${']'.repeat(500_000)}`;
    expect(depth(deep)).toBe(500_000);
  });
});

describe('refuseDeepJson', () => {
  const verify = refuseDeepJson(3);
  const check = (text: string, encoding = 'utf-8') => () => verify({} as never, {}, Buffer.from(text, encoding === 'utf-8' ? 'utf8' : 'utf16le'), encoding);

  it('lets a body up to the limit through and refuses a deeper one with a 400 body-parser error', () => {
    expect(check('[[[]]]')).not.toThrow();
    expect(check('[[[[]]]]')).toThrow(JsonTooDeepError);
    try {
      check('[[[[]]]]')();
    } catch (error) {
      expect(error).toMatchObject({ type: 'entity.too.deep', status: 400, limit: 3 });
    }
  });

  it('decodes a UTF-16 body before counting', () => {
    expect(check('[[[]]]', 'utf-16le')).not.toThrow();
    expect(check('[[[[]]]]', 'utf-16le')).toThrow(JsonTooDeepError);
  });

  it('defaults to 64 levels', () => {
    expect(JSON_MAX_DEPTH).toBe(64);
    const at = (n: number) => () => refuseDeepJson()({} as never, {}, Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`), 'utf-8');
    expect(at(64)).not.toThrow();
    expect(at(65)).toThrow(JsonTooDeepError);
  });
});
