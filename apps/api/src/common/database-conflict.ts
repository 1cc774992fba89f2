import { QueryFailedError } from 'typeorm';

/**
 * Postgres SQLSTATEs of a write refused by a constraint: unique_violation (23505) and
 * foreign_key_violation (23503).
 */
const CONFLICT_SQLSTATES = new Set(['23505', '23503']);

/**
 * Whether an error is a write that a concurrent request made impossible: the row it
 * refers to was deleted meanwhile (a track deleted while it is being shared), or the row
 * it creates was created meanwhile (two first sign-ins with one email). Every route checks
 * these before writing, so only such races reach the constraint; they answer 409 `conflict`
 * rather than a 500. Returns the constraint's name (or the SQLSTATE), or null.
 */
export function concurrentChange(error: unknown): string | null {
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  if (!(cause instanceof Error)) return null;
  const { code, constraint } = cause as { code?: unknown; constraint?: unknown };
  if (typeof code !== 'string' || !CONFLICT_SQLSTATES.has(code)) return null;
  return typeof constraint === 'string' ? constraint : code;
}

/** Whether an error is a write refused because the row it creates exists already (unique_violation). */
export function uniqueViolation(error: unknown): boolean {
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  return cause instanceof Error && (cause as { code?: unknown }).code === '23505';
}
