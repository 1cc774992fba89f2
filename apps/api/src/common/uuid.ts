const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` is a UUID in its 8-4-4-4-12 hex form (any version): ids from a path,
 * a token or a cursor are checked with it before they reach Postgres, where a malformed
 * one would fail the query instead of answering "not found".
 */
export const isUuid = (value: string): boolean => UUID.test(value);
