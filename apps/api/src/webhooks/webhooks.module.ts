import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminGuard } from '../admin/admin.guard';
import { UsersModule } from '../users/users.module';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookSecrets } from './webhook-secrets';
import { AdminWebhooksController, WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/**
 * `/v1/webhooks`: endpoints users register and their delivery log; in worker processes,
 * the dispatcher that delivers the outbox the pipeline writes (WebhookOutboxModule).
 */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpointEntity]), UsersModule],
  controllers: [WebhooksController, AdminWebhooksController],
  providers: [WebhooksService, WebhookSecrets, WebhookDispatcher, AdminGuard, WebhookEndpointRepository, WebhookDeliveryRepository],
})
export class WebhooksModule {}
