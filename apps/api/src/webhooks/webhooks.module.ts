import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookSecrets } from './webhook-secrets';
import { WebhooksService } from './webhooks.service';

/**
 * Webhook endpoints users register and their delivery log (`/v1/webhooks`); the worker's
 * WebhookDispatcher delivers the outbox the pipeline writes (WebhookOutboxModule).
 */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpointEntity]), UsersModule],
  providers: [WebhooksService, WebhookSecrets, WebhookEndpointRepository, WebhookDeliveryRepository],
  exports: [WebhooksService, WebhookSecrets, WebhookDeliveryRepository],
})
export class WebhooksModule {}
