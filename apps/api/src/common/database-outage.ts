import { QueryFailedError } from 'typeorm';

/** Socket-level failures of a database connection (refused, reset, unreachable, timed out). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Postgres SQLSTATEs of a server that is not there to answer: class 08 (connection
 * exception), shutting down or starting up (57P01–57P03), out of connection slots (53300).
 */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[123]|53300)$/;

/** node-postgres and its pool report a lost or impossible connection by message only. */
const CONNECTION_LOST = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether an error means the database cannot be reached right now (down, restarting,
 * out of connections, network cut), as opposed to a fault of the request or of our code.
 * Such requests answer 503 `database_unavailable` rather than a 500.
 */
export function isDatabaseOutage(error: unknown): boolean {
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  if (!(cause instanceof Error)) return false;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code))) return true;
  return CONNECTION_LOST.test(cause.message);
}
