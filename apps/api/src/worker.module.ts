import { Module } from '@nestjs/common';
import { GenerationWorker } from './generations/generation-worker';
import { GenerationPipelineModule } from './generations/generation-pipeline.module';
import { HealthModule } from './health/health.module';
import { IdempotencyKeyPurge } from './idempotency/idempotency-key-purge';
import { LoudnessBackfill } from './tracks/loudness-backfill';
import { TracksModule } from './tracks/tracks.module';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhooksModule } from './webhooks/webhooks.module';

/**
 * The worker side: the queue's consumer and the background passes (loudness backfill,
 * webhook delivery, expired idempotency keys). No controller, no HTTP server, no
 * authentication; its health goes to HEALTH_FILE.
 */
@Module({
  imports: [GenerationPipelineModule, TracksModule, WebhooksModule, HealthModule],
  providers: [GenerationWorker, LoudnessBackfill, WebhookDispatcher, IdempotencyKeyPurge],
})
export class WorkerModule {}
