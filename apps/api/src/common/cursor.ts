import { ApiError } from './api-error';

/** A keyset position in a newest-first list: the last item's creation time and id. */
export interface KeysetCursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

export function encodeCursor(item: { createdAt: Date; id: string }): string {
  // Exact because list tables store created_at at millisecond precision (see the
  // GenerationPipeline migration), which a JS Date holds without loss.
  return Buffer.from(`${item.createdAt.toISOString()}|${item.id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): KeysetCursor | undefined {
  if (cursor === undefined) return undefined;
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || !isUuid(id) || Number.isNaN(createdAt.getTime())) {
    throw new ApiError(400, 'validation_failed', 'The cursor is not valid; pass the next_cursor of the previous page.', { fields: { cursor: ['cursor is not valid'] } });
  }
  return { createdAt, id };
}
