import { Logger } from '@nestjs/common';
import type { QueueOptions } from 'bull';
import { Redis, type RedisOptions } from 'ioredis';

/** What each Redis connection of a process is for, in its log lines. */
export type RedisRole = string;

/**
 * The state of this process's Redis connections, logged once per change: one line when the
 * first connection fails ("unreachable"), one when every failed connection is back
 * ("reachable again"). ioredis retries on its own and emits an `error` event at each
 * attempt; a connection with no listener for it prints `[ioredis] Unhandled error event`
 * in plain text, dozens of times a minute during an outage.
 */
export class RedisConnectionLog {
  /** connections whose last event was an error, with their role */
  private readonly failing = new Map<Redis, RedisRole>();
  private outage?: { since: number };

  constructor(private readonly logger: Pick<Logger, 'error' | 'log'> = new Logger('Redis')) {}

  /** Handles the connection's `error` events and follows its state; returns it. */
  watch(client: Redis, role: RedisRole): Redis {
    client.on('error', (error: Error) => this.failed(client, role, error));
    client.on('ready', () => this.recovered(client));
    // Closed for good (shutdown): it no longer counts towards the outage.
    client.on('end', () => this.recovered(client, false));
    return client;
  }

  /** Whether some watched connection is failing now. */
  get down(): boolean {
    return this.outage !== undefined;
  }

  private failed(client: Redis, role: RedisRole, error: Error): void {
    this.failing.set(client, role);
    if (this.outage) return;
    this.outage = { since: Date.now() };
    const { host, port } = client.options;
    this.logger.error(
      `Redis at ${host}:${port} is unreachable (${describe(error)}; first seen by the ${role} connection): jobs, live progress and sign-in wait for it, and every connection reconnects on its own`,
    );
  }

  private recovered(client: Redis, connected = true): void {
    if (!this.failing.delete(client) || !this.outage || this.failing.size) return;
    const seconds = ((Date.now() - this.outage.since) / 1000).toFixed(1);
    this.outage = undefined;
    const { host, port } = client.options;
    if (connected) this.logger.log(`Redis at ${host}:${port} is reachable again, after ${seconds} s`);
  }
}

function describe(error: Error): string {
  const { code } = error as NodeJS.ErrnoException;
  return error.message || code || error.name;
}

/** This process's log of Redis connection state: every connection of the app reports here. */
export const redisConnections = new RedisConnectionLog();

/** A Redis connection whose errors and recoveries go to {@link redisConnections}. */
export function connectRedis(url: string, options: RedisOptions, role: RedisRole, log = redisConnections): Redis {
  return log.watch(new Redis(url, options), role);
}

/**
 * Bull's `createClient` making watched connections (Bull's own would go unwatched), with
 * the options Bull requires of each kind, and a `close` for them: Bull leaves the
 * connections that `createClient` made open when its queue closes.
 */
export function bullRedisClients(log = redisConnections): { createClient: NonNullable<QueueOptions['createClient']>; close(): void } {
  const clients = new Set<Redis>();
  return {
    createClient(type, options) {
      // The blocking and subscriber connections wait indefinitely by design; Bull refuses them otherwise.
      const kindOptions: RedisOptions = type === 'client' ? {} : { maxRetriesPerRequest: null, enableReadyCheck: false };
      const client = log.watch(new Redis({ ...(options as RedisOptions), ...kindOptions }), `job queue (${type})`);
      clients.add(client);
      return client;
    },
    close() {
      for (const client of clients) client.disconnect();
      clients.clear();
    },
  };
}

/** Whether an error is one of a Redis server that cannot be reached, as opposed to a command that failed. */
export function isRedisUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as NodeJS.ErrnoException;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'].includes(code)) return true;
  return error.name === 'MaxRetriesPerRequestError' || /^Connection is closed|^Stream isn't writeable|^connect ETIMEDOUT/.test(error.message);
}
