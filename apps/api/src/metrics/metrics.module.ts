import { Global, Inject, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { METRICS_REGISTRY } from '../common/metrics-registry';
import { GenerationRepository } from '../generations/generation.repository';
import { StorageGarbageRepository } from '../storage/storage-garbage.repository';
import { TrackRepository } from '../tracks/track.repository';
import { metricsMiddleware } from './metrics.middleware';
import { MetricsService } from './metrics.service';

/**
 * `GET /metrics` in Prometheus text format (prom-client), optionally behind
 * METRICS_TOKEN. Global so that its middleware is mounted before every non-global
 * module's (request timing covers everything; the web client never answers /metrics).
 */
@Global()
// The repositories need only the global Sql: the metrics read the tables without importing their feature modules.
@Module({
  providers: [
    MetricsService,
    GenerationRepository,
    TrackRepository,
    StorageGarbageRepository,
    { provide: METRICS_REGISTRY, useFactory: (metrics: MetricsService) => metrics.registry, inject: [MetricsService] },
  ],
  exports: [MetricsService, METRICS_REGISTRY],
})
export class MetricsModule implements NestModule {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(metricsMiddleware(this.metrics, this.config.metrics?.token)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
