import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookSecrets } from './webhook-secrets';
import { WebhooksService } from './webhooks.service';

/**
 * Webhook endpoints users register and their delivery log (`/v1/webhooks`); the worker's
 * WebhookDispatcher delivers the outbox the pipeline writes (WebhookOutboxModule).
 */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpointEntity])],
  providers: [WebhooksService, WebhookSecrets],
  exports: [WebhooksService, WebhookSecrets],
})
export class WebhooksModule {}
