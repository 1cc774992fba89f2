import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql';

/** A delivery leased to a worker, with what sending it needs from its endpoint. */
export interface LeasedDelivery {
  id: string;
  message_id: string;
  endpoint_id: string;
  event_type: string;
  payload: unknown;
  /** counting this one */
  attempts: number;
  url: string;
  enabled: boolean;
  secret_sealed: Buffer;
  key_id: string;
}

/** What one attempt ended with, as the log shows it. */
export interface AttemptRecord {
  status: number | null;
  durationMs: number | null;
  error: string | null;
}

/**
 * The webhook outbox's rows (`webhook_deliveries`) as the workers deliver them, and the
 * health of their endpoints. A worker leases due rows with a random token; every later
 * write of an attempt's outcome applies only while the row is still under that lease.
 */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Leases up to `limit` due rows with `token` (rows other workers are leasing are
   * skipped): their due time moves `leaseSeconds` on, and the attempt is counted.
   */
  lease(limit: number, leaseSeconds: number, token: string): Promise<LeasedDelivery[]> {
    return this.sql.rows<LeasedDelivery>(
      `WITH due AS (
         SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $2), lease_token = $3, attempts = d.attempts + 1, last_attempt_at = now()
         FROM due WHERE d.id = due.id
         RETURNING d.id, d.message_id, d.endpoint_id, d.event_type, d.payload, d.attempts
       )
       SELECT claimed.*, e.url, e.enabled, e.secret_sealed, e.key_id FROM claimed JOIN webhook_endpoints e ON e.id = claimed.endpoint_id`,
      [limit, leaseSeconds, token],
    );
  }

  /** One pending row per enabled endpoint of `userId` subscribed to `type` (the outbox; none: nothing written). */
  async owe(message: { id: string; userId: string; type: string; payload: unknown }, tx: Sql = this.sql): Promise<void> {
    await tx.run(
      `INSERT INTO webhook_deliveries (message_id, endpoint_id, event_type, payload)
       SELECT $1::text, id, $3::text, $4::jsonb FROM webhook_endpoints WHERE user_id = $2 AND enabled AND $3::text = ANY(events)`,
      [message.id, message.userId, message.type, JSON.stringify(message.payload)],
    );
  }

  /** Gives a leased row back, due now, its interrupted attempt not counted. */
  async handBack(id: string, token: string): Promise<void> {
    await this.sql.run(`UPDATE webhook_deliveries SET next_attempt_at = now(), attempts = greatest(attempts - 1, 0), lease_token = NULL WHERE id = $1 AND lease_token = $2 AND status = 'pending'`, [
      id,
      token,
    ]);
  }

  /** Deletes finished deliveries older than `days`. */
  async pruneFinished(days: number): Promise<void> {
    await this.sql.run(`DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < now() - make_interval(days => $1)`, [days]);
  }

  /** Marks a leased row delivered; false when the lease was lost. */
  async succeeded(id: string, token: string, attempt: AttemptRecord, tx: Sql = this.sql): Promise<boolean> {
    const updated = await tx.run(
      `UPDATE webhook_deliveries SET status = 'succeeded', delivered_at = now(), next_attempt_at = NULL, lease_token = NULL,
         last_status_code = $3, last_duration_ms = $4, last_error = NULL WHERE id = $1 AND lease_token = $2`,
      [id, token, attempt.status, attempt.durationMs],
    );
    return updated > 0;
  }

  /** Records a failed attempt of a leased row: retried after `retryInSeconds`, or failed for good when null; false when the lease was lost. */
  async attemptFailed(id: string, token: string, attempt: AttemptRecord, retryInSeconds: number | null, tx: Sql = this.sql): Promise<boolean> {
    const updated = await tx.run(
      `UPDATE webhook_deliveries SET status = CASE WHEN $5::float8 IS NULL THEN 'failed' ELSE 'pending' END,
         next_attempt_at = CASE WHEN $5::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => $5::float8) END, lease_token = NULL,
         last_status_code = $3, last_duration_ms = $4, last_error = $6 WHERE id = $1 AND lease_token = $2`,
      [id, token, attempt.status, attempt.durationMs, retryInSeconds, attempt.error],
    );
    return updated > 0;
  }

  /** The endpoint answers again: it is no longer failing. */
  async endpointRecovered(endpointId: string, tx: Sql = this.sql): Promise<void> {
    await tx.run(`UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`, [endpointId]);
  }

  /** Notes the endpoint failing (since its first failure in a row); whether it has failed for `disableAfterSeconds`. */
  async endpointFailed(endpointId: string, disableAfterSeconds: number, tx: Sql = this.sql): Promise<boolean> {
    const row = await tx.one<{ expired: boolean }>(
      `UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now()) WHERE id = $1
       RETURNING failing_since <= now() - make_interval(secs => $2) AS expired`,
      [endpointId, disableAfterSeconds],
    );
    return row?.expired ?? false;
  }

  /** Disables the endpoint with the reason its owner sees; its undelivered messages that no worker holds fail. */
  async disableEndpoint(endpointId: string, reason: string, tx: Sql = this.sql): Promise<void> {
    await tx.run(`UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, disabled_at = now(), updated_at = now() WHERE id = $1 AND enabled`, [endpointId, reason]);
    await tx.run(
      `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = coalesce(last_error, 'The endpoint was disabled before this was sent.')
       WHERE endpoint_id = $1 AND status = 'pending' AND lease_token IS NULL`,
      [endpointId],
    );
  }
}
