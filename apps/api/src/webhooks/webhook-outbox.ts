import { Injectable } from '@nestjs/common';
import type { WebhookEventType, WebhookPayload } from '@texttune/contracts';
import { randomUUID } from 'node:crypto';
import { Sql } from '../database/sql';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

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
  constructor(private readonly deliveries: WebhookDeliveryRepository) {}

  /** Records `type` in `tx` for every enabled endpoint of `userId` subscribed to it (none: nothing written). */
  async record<T>(tx: Sql, userId: string, type: WebhookEventType, data: T, occurredAt: Date = new Date()): Promise<void> {
    const payload: WebhookPayload<T> = { type, timestamp: occurredAt.toISOString(), data };
    await this.deliveries.owe({ id: newMessageId(), userId, type, payload }, tx);
  }
}
