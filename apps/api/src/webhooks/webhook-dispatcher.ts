import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MigrationStatus } from '../database/migration-status';
import { Sql } from '../database/sql';
import { WebhookDeliveryRepository, type LeasedDelivery } from './webhook-delivery.repository';
import { postTo, resolveTarget, WebhookTargetRefused, type AddressPolicy } from './webhook-target';
import { signWebhook, WebhookSecrets } from './webhook-secrets';

/**
 * Retry delays after the 1st, 2nd … failed attempt, in units of WEBHOOK_RETRY_BASE_MS
 * (default 5 s): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — eight attempts over about 27 h.
 */
const RETRY_SCHEDULE = [1, 60, 360, 1440, 3600, 7200, 7200];
/** An endpoint whose deliveries have all failed for this long (in base units: 24 h) is disabled. */
const DISABLE_AFTER_UNITS = 17_280;
/** Deliveries one worker sends at once. */
const BATCH = 10;
const USER_AGENT = 'TextTune-Webhooks/1';
/** Finished deliveries are kept this long for the deliveries list, then removed (checked hourly). */
const RETENTION_DAYS = 30;
const PRUNE_EVERY_MS = 3600_000;

/** How one attempt ended. */
type AttemptOutcome = { kind: 'delivered' | 'failed' | 'gone'; status: number | null; durationMs: number | null; error: string | null };

/**
 * Delivers the webhook outbox from worker processes, at least once: every worker claims
 * due rows (`FOR UPDATE SKIP LOCKED`, so workers share them) and leases them by moving
 * their due time past the attempt's timeout — a worker killed mid-delivery leaves a row
 * that falls due again when the lease runs out, and another worker sends it, with the
 * same `webhook-id`. 2xx is delivered; 410 Gone disables the endpoint; anything else is
 * retried with exponential backoff and jitter, and an endpoint failing for 24 hours is
 * disabled with the reason shown to its owner.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookDispatcher');
  private readonly policy: AddressPolicy;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;
  private readonly inFlight = new Map<string, { token: string; abort: AbortController }>();
  private lastPrune = 0;
  /** the last pass failure logged: a database outage is reported once, not every poll */
  private lastFailure?: string;

  constructor(
    private readonly migrations: MigrationStatus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: WebhookSecrets,
    private readonly sql: Sql,
    private readonly deliveries: WebhookDeliveryRepository,
  ) {
    this.policy = { allowPrivate: config.webhooks.allowPrivate, allowedHosts: config.webhooks.allowedHosts };
  }

  /** How long a claimed row is this worker's: one attempt's timeout plus room to record its outcome. */
  private get leaseMs(): number {
    return this.config.webhooks.timeoutMs + 5000;
  }

  onApplicationBootstrap(): void {
    void this.migrations.applied(() => this.stopping).then(
      (applied) => {
        if (!applied) return;
        this.timer = setInterval(() => void this.tick(), this.config.webhooks.pollMs);
        this.timer.unref();
      },
      (error: Error) => !this.stopping && this.logger.error(`webhook delivery could not start: ${error.message}`),
    );
  }

  /**
   * Stops polling and ends the attempts under way; their rows are handed back at once
   * (the interrupted attempt does not count) for the next worker.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    const interrupted = [...this.inFlight.entries()];
    for (const [, { abort }] of interrupted) abort.abort(new Error('shutting down'));
    await this.running?.catch(() => undefined);
    for (const [id, { token }] of interrupted) {
      await this.deliveries.handBack(id, token).catch(() => undefined);
    }
  }

  /** One poll: delivers due rows in batches until none is due. Never overlaps itself. */
  tick(): Promise<void> {
    if (this.running || this.stopping) return this.running ?? Promise.resolve();
    this.running = this.deliverDue()
      .then(() => (this.lastFailure = undefined))
      .catch((error: Error) => {
        if (error.message !== this.lastFailure) this.logger.warn(`webhook delivery pass failed: ${error.message}`);
        this.lastFailure = error.message;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async deliverDue(): Promise<void> {
    if (Date.now() - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = Date.now();
      await this.deliveries.pruneFinished(RETENTION_DAYS);
    }
    while (!this.stopping) {
      const claimed = await this.claim(BATCH);
      await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
      if (claimed.length < BATCH) return;
    }
  }

  /** Leases up to `limit` due rows to this worker: their due time moves past the attempt, and the attempt is counted. */
  private async claim(limit: number): Promise<(LeasedDelivery & { token: string })[]> {
    const token = randomUUID();
    const rows = await this.deliveries.lease(limit, this.leaseMs / 1000, token);
    return rows.map((row) => ({ ...row, token }));
  }

  private async deliver(delivery: LeasedDelivery & { token: string }): Promise<void> {
    const abort = new AbortController();
    this.inFlight.set(delivery.id, { token: delivery.token, abort });
    let outcome: AttemptOutcome;
    try {
      outcome = await this.attempt(delivery, abort.signal);
    } finally {
      this.inFlight.delete(delivery.id);
    }
    if (this.stopping && abort.signal.aborted) return; // handed back by beforeApplicationShutdown
    await this.record(delivery, outcome).catch((error: Error) => this.logger.warn(`could not record webhook delivery ${delivery.id}: ${error.message}`));
  }

  /** Sends the message once. Never throws: every failure becomes an outcome with a reason. */
  private async attempt(delivery: LeasedDelivery, signal: AbortSignal): Promise<AttemptOutcome> {
    if (!delivery.enabled) return { kind: 'failed', status: null, durationMs: null, error: 'The endpoint is disabled; enable it to receive events again.' };
    const started = Date.now();
    const timeoutMs = this.config.webhooks.timeoutMs;
    try {
      const secret = this.secrets.open(delivery.secret_sealed, delivery.key_id, delivery.endpoint_id);
      const url = new URL(delivery.url);
      const address = await withDeadline(resolveTarget(url, this.policy), timeoutMs, `the host ${url.hostname} did not resolve within ${timeoutMs} ms`);
      const body = JSON.stringify(delivery.payload);
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': delivery.message_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(secret, delivery.message_id, timestamp, body),
      };
      const { status, durationMs } = await postTo(url, address, headers, body, Math.max(1, timeoutMs - (Date.now() - started)), signal);
      if (status >= 200 && status < 300) return { kind: 'delivered', status, durationMs, error: null };
      if (status === 410) return { kind: 'gone', status, durationMs, error: 'The endpoint answered 410 Gone, so it was disabled.' };
      const redirect = status >= 300 && status < 400 ? ' (redirects are not followed: register the final URL)' : '';
      return { kind: 'failed', status, durationMs, error: `The endpoint answered HTTP ${status}${redirect}.` };
    } catch (error) {
      const message = error instanceof WebhookTargetRefused ? error.message : `The request failed: ${(error as Error).message}.`;
      return { kind: 'failed', status: null, durationMs: Date.now() - started, error: message };
    }
  }

  /** Writes the outcome, if the row is still this worker's lease, and updates the endpoint's health. */
  private async record(delivery: LeasedDelivery & { token: string }, outcome: AttemptOutcome): Promise<void> {
    const base = this.config.webhooks.retryBaseMs;
    await this.sql.transaction(async (tx) => {
      if (outcome.kind === 'delivered') {
        if (await this.deliveries.succeeded(delivery.id, delivery.token, outcome, tx)) await this.deliveries.endpointRecovered(delivery.endpoint_id, tx);
        return;
      }
      const retryUnits = outcome.kind === 'gone' || !delivery.enabled ? undefined : RETRY_SCHEDULE[delivery.attempts - 1];
      const delaySeconds = retryUnits === undefined ? null : (retryUnits * base * (0.8 + Math.random() * 0.4)) / 1000;
      const updated = await this.deliveries.attemptFailed(delivery.id, delivery.token, outcome, delaySeconds, tx);
      if (!updated || !delivery.enabled) return;
      if (outcome.kind === 'gone') {
        // The host only: a URL's path or query may carry a token of the receiver's, which is not logged.
        await this.disable(tx, delivery.endpoint_id, `${new URL(delivery.url).host} answered 410 Gone on ${new Date().toISOString()}: deliveries stopped. Enable the endpoint again to resume them.`);
        return;
      }
      if (await this.deliveries.endpointFailed(delivery.endpoint_id, (DISABLE_AFTER_UNITS * base) / 1000, tx)) {
        await this.disable(tx, delivery.endpoint_id, `Every delivery has failed for 24 hours (the last: ${outcome.error}) so deliveries stopped. Fix the receiver, then enable the endpoint again.`);
      }
    });
    if (outcome.kind !== 'delivered') this.logger.warn(`webhook ${delivery.message_id} to endpoint ${delivery.endpoint_id}, attempt ${delivery.attempts}: ${outcome.error}`);
  }

  /** Disables the endpoint with the reason its owner sees; its undelivered messages fail. */
  private async disable(tx: Sql, endpointId: string, reason: string): Promise<void> {
    await this.deliveries.disableEndpoint(endpointId, reason, tx);
    this.logger.warn(`webhook endpoint ${endpointId} disabled: ${reason}`);
  }
}

/** Rejects with `message` when `promise` has not settled within `ms` (DNS look-ups cannot be aborted). */
function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}
