/** An inclusive byte range of a representation. */
export interface ByteSpan {
  start: number;
  end: number;
}

export type RangeRequest =
  /** no Range header, another unit, or a malformed header: serve the whole representation */
  | { kind: 'none' }
  /** well-formed, but no range overlaps the representation: 416 */
  | { kind: 'unsatisfiable' }
  /** one or more satisfiable ranges, overlapping ones coalesced, in request order */
  | { kind: 'ranges'; ranges: ByteSpan[] };

/** More ranges than this in one request is treated as no Range at all (RFC 9110 §14.2 allows ignoring it). */
export const MAX_RANGES = 32;

const DIGITS = /^\d+$/;

function position(text: string): number | null {
  if (!DIGITS.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * Parses a `Range` header against a representation of `size` bytes, exactly as RFC 9110
 * §14.1.2 defines byte ranges: `a-b` (end clamped to the last byte), `a-`, and the suffix
 * `-n` (the last n bytes; all of them when n exceeds the size). A range with its end
 * before its start, or any syntax error, makes the whole header invalid, and an invalid
 * header is ignored, as the RFC lets a server do.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'none' };
  const equals = header.indexOf('=');
  if (equals < 0 || header.slice(0, equals).trim().toLowerCase() !== 'bytes') return { kind: 'none' };
  const specs = header
    .slice(equals + 1)
    .split(',')
    .map((spec) => spec.trim())
    .filter((spec) => spec !== ''); // the list syntax allows empty elements
  if (specs.length === 0 || specs.length > MAX_RANGES) return { kind: 'none' };

  const satisfiable: ByteSpan[] = [];
  for (const spec of specs) {
    const dash = spec.indexOf('-');
    if (dash < 0) return { kind: 'none' };
    const firstText = spec.slice(0, dash).trim();
    const lastText = spec.slice(dash + 1).trim();
    if (firstText === '') {
      const length = position(lastText);
      if (length === null) return { kind: 'none' };
      if (length > 0 && size > 0) satisfiable.push({ start: Math.max(0, size - length), end: size - 1 });
      continue;
    }
    const first = position(firstText);
    const last = lastText === '' ? Number.POSITIVE_INFINITY : position(lastText);
    if (first === null || last === null || last < first) return { kind: 'none' };
    if (first < size) satisfiable.push({ start: first, end: Math.min(last, size - 1) });
  }
  if (satisfiable.length === 0) return { kind: 'unsatisfiable' };
  return { kind: 'ranges', ranges: coalesce(satisfiable) };
}

/** Merges overlapping or adjacent ranges; the merged range keeps the place of its earliest part. */
function coalesce(ranges: ByteSpan[]): ByteSpan[] {
  if (ranges.length === 1) return ranges;
  const ordered = ranges.map((range, index) => ({ ...range, index })).sort((a, b) => a.start - b.start);
  const merged: typeof ordered = [];
  for (const range of ordered) {
    const current = merged[merged.length - 1];
    if (current && range.start <= current.end + 1) {
      current.end = Math.max(current.end, range.end);
      current.index = Math.min(current.index, range.index);
    } else merged.push({ ...range });
  }
  return merged.sort((a, b) => a.index - b.index).map(({ start, end }) => ({ start, end }));
}
