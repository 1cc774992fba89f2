import { Logger } from '@nestjs/common';
import { Client, type Notification, type Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** The channel of the RowChangeNotifications migration's triggers. */
export const ROW_CHANGES_CHANNEL = 'texttune_row_changes';

/** A changed (updated or deleted) row: its table and id, or `*` for any row of the table. */
export interface RowChange {
  table: string;
  id: string;
}

/** What keeps copies of rows: told of each change, and when it can no longer trust the feed. */
export interface RowChangeSubscriber {
  changed(change: RowChange): void;
  /** Notices may have been missed: the feed went down (`live` false) or came back (true). */
  reset(live: boolean): void;
}

const RETRY_MS = { first: 500, max: 30_000 };

/**
 * The notices of changed rows that the RowChangeNotifications migration's triggers send,
 * for in-memory copies of those rows that must never be stale. Two kinds of connection
 * listen:
 *
 * - a connection of its own, always listening: changes committed by other processes (or
 *   by hand) arrive about as soon as they are committed;
 * - every connection of this process's pool: Postgres delivers a transaction's own
 *   notices to its connection before it reports the commit, so a change made here is
 *   known here before the statement that made it returns (a sign-out's next request
 *   already sees it, whichever connection serves it).
 *
 * While its own connection is down, the feed is not `live`: notices may be missing, and
 * subscribers must not trust what they kept (they are reset, and again when it is back).
 */
export class RowChanges {
  private readonly logger = new Logger(RowChanges.name);
  private readonly subscribers = new Set<RowChangeSubscriber>();
  private readonly listening = new WeakSet<object>();
  private listener: Client | null = null;
  private retryMs = RETRY_MS.first;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private _live = false;

  constructor(
    private readonly connectionString: string,
    private readonly pool: Pool,
  ) {}

  /** The feed of the database behind TypeORM's `dataSource`, heard on its pool's connections too. */
  static of(dataSource: DataSource): RowChanges {
    return new RowChanges(String((dataSource.options as PostgresConnectionOptions).url), (dataSource.driver as PostgresDriver).master as Pool);
  }

  get live(): boolean {
    return this._live;
  }

  subscribe(subscriber: RowChangeSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** Listens; resolves when live, or once the first attempt failed (it keeps trying). */
  async start(): Promise<void> {
    this.pool.on('acquire', this.listenOn);
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pool.off('acquire', this.listenOn);
    if (this.retry) clearTimeout(this.retry);
    this.setLive(false);
    await this.listener?.end().catch(() => undefined);
  }

  /** A pool connection, as it is handed out: its LISTEN is queued before the borrower's first statement. */
  private readonly listenOn = (client: Client): void => {
    if (this.listening.has(client)) return;
    this.listening.add(client);
    client.on('notification', this.onNotice);
    client.query(`LISTEN ${ROW_CHANGES_CHANNEL}`).catch(() => undefined); // a broken connection fails its borrower's statement too
  };

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.connectionString, application_name: 'texttune-row-changes' });
    this.listener = client;
    const lost = (error?: Error) => {
      if (this.listener !== client) return;
      this.listener = null;
      this.setLive(false);
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(`lost the row-change feed (${error?.message ?? 'connection closed'}); copies of rows are not used until it is back; retrying in ${this.retryMs} ms`);
      this.retry = setTimeout(() => void this.connect(), this.retryMs).unref();
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MS.max);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', this.onNotice);
    try {
      await client.connect();
      await client.query(`LISTEN ${ROW_CHANGES_CHANNEL}`);
    } catch (error) {
      lost(error as Error);
      return;
    }
    if (this.listener !== client || this.stopped) return;
    this.retryMs = RETRY_MS.first;
    this.setLive(true);
  }

  private setLive(live: boolean): void {
    const was = this._live;
    this._live = live;
    if (was || live) for (const subscriber of this.subscribers) subscriber.reset(live);
  }

  private readonly onNotice = (notice: Notification): void => {
    if (notice.channel !== ROW_CHANGES_CHANNEL || !notice.payload) return;
    const colon = notice.payload.indexOf(':');
    if (colon < 0) return;
    const change = { table: notice.payload.slice(0, colon), id: notice.payload.slice(colon + 1) };
    for (const subscriber of this.subscribers) subscriber.changed(change);
  };
}
