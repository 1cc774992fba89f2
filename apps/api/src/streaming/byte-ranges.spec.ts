import { MAX_RANGES, parseRange, type RangeRequest } from './byte-ranges';

const SIZE = 1000;

describe('parseRange (RFC 9110 §14.1.2)', () => {
  const cases: [string | undefined, RangeRequest][] = [
    [undefined, { kind: 'none' }],
    ['bytes=0-99', { kind: 'ranges', ranges: [{ start: 0, end: 99 }] }],
    ['bytes=100-', { kind: 'ranges', ranges: [{ start: 100, end: 999 }] }],
    ['bytes=-200', { kind: 'ranges', ranges: [{ start: 800, end: 999 }] }],
    ['bytes=-5000', { kind: 'ranges', ranges: [{ start: 0, end: 999 }] }], // suffix longer than the file: all of it
    ['bytes=990-5000', { kind: 'ranges', ranges: [{ start: 990, end: 999 }] }], // end clamped
    ['bytes=999-999', { kind: 'ranges', ranges: [{ start: 999, end: 999 }] }],
    ['BYTES=0-0', { kind: 'ranges', ranges: [{ start: 0, end: 0 }] }], // the unit is case-insensitive
    ['bytes= 1-2 , ', { kind: 'ranges', ranges: [{ start: 1, end: 2 }] }], // whitespace and empty list elements
    ['bytes=0-0,-1', { kind: 'ranges', ranges: [{ start: 0, end: 0 }, { start: 999, end: 999 }] }],
    ['bytes=500-599,0-9', { kind: 'ranges', ranges: [{ start: 500, end: 599 }, { start: 0, end: 9 }] }], // order kept
    ['bytes=0-9,5-19,20-29', { kind: 'ranges', ranges: [{ start: 0, end: 29 }] }], // overlapping and adjacent coalesced
    ['bytes=0-9,2000-3000', { kind: 'ranges', ranges: [{ start: 0, end: 9 }] }], // unsatisfiable parts dropped
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=1000-2000', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=5-2', { kind: 'none' }], // last < first: invalid, ignored
    ['bytes=abc', { kind: 'none' }],
    ['bytes=1-2-3', { kind: 'none' }],
    ['bytes=-', { kind: 'none' }],
    ['bytes=0x10-20', { kind: 'none' }],
    ['bytes=99999999999999999999-', { kind: 'none' }], // past the safe integers
    ['bytes=', { kind: 'none' }],
    ['bytes 0-1', { kind: 'none' }],
    ['items=0-1', { kind: 'none' }], // another unit
  ];
  it.each(cases)('%s', (header, expected) => {
    expect(parseRange(header, SIZE)).toEqual(expected);
  });

  it('treats an empty representation as unsatisfiable for every range', () => {
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it(`ignores more than ${MAX_RANGES} ranges rather than serving a flood of parts`, () => {
    const many = Array.from({ length: MAX_RANGES + 1 }, (_, i) => `${i * 10}-${i * 10 + 1}`).join(',');
    expect(parseRange(`bytes=${many}`, SIZE)).toEqual({ kind: 'none' });
    const allowed = Array.from({ length: MAX_RANGES }, (_, i) => `${i * 10}-${i * 10 + 1}`).join(',');
    expect(parseRange(`bytes=${allowed}`, SIZE)).toMatchObject({ kind: 'ranges' });
  });
});
