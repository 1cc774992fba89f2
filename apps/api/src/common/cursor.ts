import { ApiError } from './api-error';
import { isUuid } from './uuid';

/** A keyset position in a newest-first list: the last item's creation time and id. */
export interface KeysetCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(item: { createdAt: Date; id: string }): string {
  // Exact because list tables store created_at at millisecond precision (see the
  // GenerationPipeline migration), which a JS Date holds without loss.
  return Buffer.from(`${item.createdAt.toISOString()}|${item.id}`).toString('base64url');
}

/**
 * The time of a cursor as {@link encodeCursor} writes it (`toISOString()` of a stored
 * row: four-digit year, milliseconds, UTC). `Date` reads much more (years ±275760, bare
 * numbers), which Postgres' timestamps do not hold.
 */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodeCursor(cursor: string | undefined): KeysetCursor | undefined {
  if (cursor === undefined) return undefined;
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || !isUuid(id) || !CURSOR_TIME.test(iso ?? '') || Number.isNaN(createdAt.getTime())) {
    throw new ApiError(400, 'validation_failed', 'The cursor is not valid; pass the next_cursor of the previous page.', { fields: { cursor: ['cursor is not valid'] } });
  }
  return { createdAt, id };
}
