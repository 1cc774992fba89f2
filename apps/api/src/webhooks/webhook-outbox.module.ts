import { Module } from '@nestjs/common';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookOutbox } from './webhook-outbox';

/**
 * The outbox alone (no HTTP, no delivery): what the job pipeline and the tracks need to
 * record events in their own transactions, without depending on the webhooks feature.
 */
@Module({ providers: [WebhookOutbox, WebhookDeliveryRepository], exports: [WebhookOutbox] })
export class WebhookOutboxModule {}
