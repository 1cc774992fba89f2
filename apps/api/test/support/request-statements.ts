import { storage as requestContext } from 'nestjs-pino/storage';
import { Client } from 'pg';

/**
 * Counts the database statements the app makes for HTTP requests: every statement goes
 * through a pg Client, and a request's statements run inside its logging context (the
 * request logger opens it before any guard runs). The app's own timers (the webhook
 * dispatcher polls every second, the job sweeper, backfills) query outside any request, so
 * they are not counted even when they land while a request is in flight.
 */
export function countRequestStatements(): { count(): number; reset(): void; restore(): void } {
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  let count = 0;
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
    if (requestContext.getStore()) count++;
    return query.apply(this, args);
  });
  return {
    count: () => count,
    reset: () => (count = 0),
    restore: () => spy.mockRestore(),
  };
}
