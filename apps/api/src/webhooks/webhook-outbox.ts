import { Injectable } from '@nestjs/common';
import type { WebhookEventType, WebhookPayload } from '@texttune/contracts';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** A `webhook-id`: the same on every attempt of a message, and for every endpoint it goes to. */
export const newMessageId = () => `msg_${randomUUID().replace(/-/g, '')}`;

/**
 * The webhook outbox: one `webhook_deliveries` row per (event, subscribed endpoint),
 * written inside the caller's transaction, so an event is owed exactly when the change
 * it reports commits. Workers deliver the rows (WebhookDispatcher); nothing is sent on
 * the request path.
 */
@Injectable()
export class WebhookOutbox {
  /** Records `type` for every enabled endpoint of `userId` subscribed to it (none: nothing written). */
  async record<T>(manager: EntityManager, userId: string, type: WebhookEventType, data: T, occurredAt: Date = new Date()): Promise<void> {
    const payload: WebhookPayload<T> = { type, timestamp: occurredAt.toISOString(), data };
    await manager.query(
      `INSERT INTO webhook_deliveries (message_id, endpoint_id, event_type, payload)
       SELECT $1::text, id, $3::text, $4::jsonb FROM webhook_endpoints WHERE user_id = $2 AND enabled AND $3::text = ANY(events)`,
      [newMessageId(), userId, type, JSON.stringify(payload)],
    );
  }
}
