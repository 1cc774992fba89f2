import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { WebhookDeliveryResponse, WebhookDeliveryStatus, WebhookEventType } from '@texttune/contracts';
import type { Repository } from 'typeorm';
import { Sql } from '../database/sql';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

/** A delivery as its endpoint's log shows it. */
export interface WebhookDeliveryRow {
  id: string;
  message_id: string;
  event_type: WebhookDeliveryResponse['event_type'];
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

const DELIVERY_COLUMNS = 'id, message_id, event_type, status, attempts, last_status_code, last_duration_ms, last_error, last_attempt_at, next_attempt_at, delivered_at, created_at';

export type EndpointChanges = Partial<Pick<WebhookEndpointEntity, 'url' | 'events' | 'description' | 'enabled' | 'disabledReason' | 'disabledAt' | 'failingSince' | 'secretSealed' | 'keyId'>>;

/** Users' webhook endpoints (`webhook_endpoints`) and their delivery log (`webhook_deliveries`). */
@Injectable()
export class WebhookEndpointRepository {
  constructor(
    private readonly sql: Sql,
    @InjectRepository(WebhookEndpointEntity) private readonly endpoints: Repository<WebhookEndpointEntity>,
  ) {}

  countOf(userId: string): Promise<number> {
    return this.endpoints.countBy({ userId });
  }

  /**
   * A new endpoint; `seal` makes its sealed secret from the id the row gets (the secret
   * is bound to it), before the row is written.
   */
  async create(
    fields: { userId: string; url: string; events: WebhookEventType[]; description: string | null },
    seal: (id: string) => { sealed: Buffer; keyId: string },
  ): Promise<WebhookEndpointEntity> {
    const { id } = (await this.sql.one<{ id: string }>(`SELECT gen_random_uuid() AS id`))!;
    const { sealed, keyId } = seal(id);
    await this.endpoints.insert({ id, ...fields, secretSealed: sealed, keyId });
    return this.endpoints.findOneByOrFail({ id });
  }

  /** The user's endpoints, oldest first. */
  listOf(userId: string): Promise<WebhookEndpointEntity[]> {
    return this.endpoints.find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Every account's endpoints, newest first, at most `limit`. */
  newest(limit: number): Promise<WebhookEndpointEntity[]> {
    return this.endpoints.find({ order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  findOwned(userId: string, id: string): Promise<WebhookEndpointEntity | null> {
    return this.endpoints.findOneBy({ id, userId });
  }

  async change(id: string, changes: EndpointChanges): Promise<void> {
    await this.endpoints.update({ id }, changes);
  }

  /** Deletes the endpoint with its delivery log (undelivered messages are dropped). */
  async remove(id: string): Promise<void> {
    await this.endpoints.delete({ id });
  }

  /** The endpoint's most recent deliveries, newest first. */
  recentDeliveries(endpointId: string, limit: number): Promise<WebhookDeliveryRow[]> {
    return this.sql.rows<WebhookDeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [endpointId, limit]);
  }

  /** Queues a message to this endpoint only (the workers deliver it like any other). */
  async queueDelivery(endpointId: string, message: { id: string; type: string; payload: unknown }): Promise<WebhookDeliveryRow> {
    return (await this.sql.one<WebhookDeliveryRow>(
      `INSERT INTO webhook_deliveries (message_id, endpoint_id, event_type, payload) VALUES ($1, $2, $3, $4) RETURNING ${DELIVERY_COLUMNS}`,
      [message.id, endpointId, message.type, JSON.stringify(message.payload)],
    ))!;
  }
}
