import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ApiTokenScope } from '@texttune/contracts';
import { LRUCache } from 'lru-cache';
import { Counter, Gauge } from 'prom-client';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RowChanges, type RowChange, type RowChangeSubscriber } from '../database/row-changes';
import { METRICS_REGISTRY, type MetricsRegistry } from '../common/metrics-registry';
import { authUserFromRow, type Authenticated, type AuthenticatingRow, type AuthUser } from './auth-user';
import { ownedFromRow, type OwnedTarget } from './owned-lookup';

/** What an authenticating statement found, and what it depends on. */
export interface LoadedCaller {
  authenticated: Authenticated;
  /** when the session or token expires */
  expiresAt: Date;
  /** the rows the caller was read from, as `table:id` (its session or token, its account) */
  rows: string[];
}

/**
 * What an authenticating row says: the caller (by its session or its API token), the
 * target's resource when there is a target, and the rows they were read from.
 */
export function callerFromRow(row: AuthenticatingRow, via: { sessionId: string } | { tokenId: string; tokenScopes: readonly ApiTokenScope[] }, target?: OwnedTarget): LoadedCaller {
  const user = authUserFromRow(row, via);
  const owned = target && ownedFromRow(target.lookup, row as unknown as Record<string, unknown>);
  const credential = 'sessionId' in via ? `sessions:${via.sessionId}` : `api_tokens:${via.tokenId}`;
  return { authenticated: target ? { user, owned } : { user }, expiresAt: row.caller_expires_at, rows: [credential, `users:${row.id}`] };
}

interface Entry {
  value: unknown;
  /** `table:id` of each row the value was read from */
  rows: string[];
  /** a caller: when its session or token expires; an owned resource: its owner */
  expiresAt?: number;
  owner?: string;
}

const MAX_ENTRIES = 20_000;

const ownedKey = (target: OwnedTarget) => `owned:${target.lookup.table}:${target.id}`;

/**
 * What authenticating a request reads, kept in memory while the rows it came from are
 * unchanged: the caller of a session or an API token (the session or token row and the
 * account row), and the resource a route reads with it (owned-lookup.ts). A player
 * seeking through a track makes a request per seek; with this, only the first of them
 * waits for the database.
 *
 * Nothing is kept longer than its rows are: every update or delete of them (a sign-out,
 * a revoked token, a disabled account, a renamed or deleted track; by this process,
 * another, or by hand) drops what was read from them, through {@link RowChanges}. A
 * change made by this process is dropped before the statement that made it returns;
 * one made elsewhere, as soon as its notice arrives (about a millisecond). While that
 * feed is down nothing is kept or used. Expiry is checked on every use, and nothing is
 * kept longer than `AUTH_CACHE_SECONDS` (0 turns the cache off).
 *
 * It earns its place: with it, `GET /v1/me` serves 1.8x the requests at half the median
 * latency for 0.6x the server CPU per request (bench/auth/run.cjs, wrk, medians of 5 rounds).
 */
@Injectable()
export class AuthCache implements RowChangeSubscriber, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly entries: LRUCache<string, Entry> | null;
  /** `table:id` → keys of the entries read from that row (each entry leaves it through the LRU's dispose) */
  private readonly byRow = new Map<string, Set<string>>();
  /** counts the changes (and resets): an answer read before one of them is not kept */
  private generation = 0;
  private feed: RowChanges | null = null;
  private readonly hits: Counter.Internal;
  private readonly misses: Counter.Internal;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly rowChanges: RowChanges,
    @Inject(METRICS_REGISTRY) registry: MetricsRegistry,
  ) {
    const ttl = config.auth.cacheSeconds * 1000;
    this.entries = ttl > 0 ? new LRUCache<string, Entry>({ max: MAX_ENTRIES, ttl, dispose: (entry, key) => this.unindex(key, entry) }) : null;
    const registers = [registry];
    const lookups = new Counter({ name: 'texttune_auth_lookups_total', help: 'Authentications of requests, by where the answer came from (memory: the AuthCache; database)', labelNames: ['source'], registers });
    this.hits = lookups.labels('memory');
    this.misses = lookups.labels('database');
    const live = () => this.live;
    new Gauge({
      name: 'texttune_auth_cache_live',
      help: '1 while the authentication cache is used (on, and its feed of row changes is up); 0 otherwise (AUTH_CACHE_SECONDS=0, or the feed is down: every request reads the database)',
      registers,
      collect() {
        this.set(live() ? 1 : 0);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.entries) return;
    this.feed = this.rowChanges;
    this.feed.subscribe(this);
    await this.feed.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.feed?.stop();
  }

  /** Whether what is kept is used: the cache is on and its feed of changes is up. */
  get live(): boolean {
    return !!this.feed?.live;
  }

  /**
   * The caller known by `key` (and the target's resource), from memory when it is
   * there; otherwise `load`'s answer, kept for the next request when nothing it was read
   * from changed meanwhile.
   */
  async authenticate(key: string, target: OwnedTarget | undefined, load: () => Promise<LoadedCaller | null>): Promise<Authenticated | null> {
    const known = this.recall(key, target);
    if (known) {
      this.hits.inc();
      return known;
    }
    this.misses.inc();
    const generation = this.generation;
    const loaded = await load();
    if (loaded && generation === this.generation && this.live) this.keep(key, target, loaded);
    return loaded?.authenticated ?? null;
  }

  changed({ table, id }: RowChange): void {
    this.generation++;
    if (id === '*') return this.entries?.clear();
    const keys = this.byRow.get(`${table}:${id}`);
    if (keys) for (const key of [...keys]) this.entries?.delete(key);
  }

  reset(): void {
    this.generation++;
    this.entries?.clear();
  }

  private recall(key: string, target: OwnedTarget | undefined): Authenticated | undefined {
    const caller = this.entries?.get(`caller:${key}`);
    if (!caller || caller.expiresAt! <= Date.now()) return undefined;
    const user = caller.value as AuthUser;
    if (!target) return { user };
    const owned = target.id === null ? undefined : this.entries!.get(ownedKey(target));
    // A resource known as someone else's is not this caller's: ask the database (which answers 404).
    return owned && owned.owner === user.id ? { user, owned: owned.value } : undefined;
  }

  private keep(key: string, target: OwnedTarget | undefined, { authenticated, expiresAt, rows }: LoadedCaller): void {
    const { user, owned } = authenticated;
    this.put(`caller:${key}`, { value: Object.freeze(user), rows, expiresAt: expiresAt.getTime() });
    if (target?.id && owned) this.put(ownedKey(target), { value: Object.freeze(owned), rows: [`${target.lookup.table}:${target.id}`], owner: user.id });
  }

  private put(key: string, entry: Entry): void {
    this.entries!.set(key, entry);
    for (const row of entry.rows) {
      let keys = this.byRow.get(row);
      if (!keys) this.byRow.set(row, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, entry: Entry): void {
    for (const row of entry.rows) {
      const keys = this.byRow.get(row);
      if (keys?.delete(key) && keys.size === 0) this.byRow.delete(row);
    }
  }
}
