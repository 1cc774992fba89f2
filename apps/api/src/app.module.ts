import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { loggerParams } from './common/logging';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { dataSourceOptions } from './database/data-source';
import { createEngines } from './engines/create-engines';
import { EnginesModule } from './engines/engines.module';
import type { MusicEngine } from './engines/music-engine';
import { EventsModule } from './events/events.module';
import { GenerationsModule } from './generations/generations.module';
import { HealthModule } from './health/health.module';
import { HfTokenModule } from './hf-token/hf-token.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { LibraryModule } from './library/library.module';
import { MetricsModule } from './metrics/metrics.module';
import { PlaylistsModule } from './playlists/playlists.module';
import { ReferencesModule } from './references/references.module';
import { QueueModule } from './queue/queue.module';
import { StorageModule } from './storage/storage.module';
import { TracksModule } from './tracks/tracks.module';
import { UsersModule } from './users/users.module';
import { WebModule } from './web/web.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Resolved before Nest starts: DATABASE_URL, or the embedded server's URL. */
  databaseUrl: string;
  /** Engines to use instead of those the configuration selects (tests). */
  engines?: () => MusicEngine[];
}

/** The whole application; the role (api / worker / all) decides what it starts, not what it contains. */
@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, engines }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
        DatabaseModule,
        QueueModule.forRoot(config),
        EventsModule.forRoot(config),
        StorageModule.forRoot(config),
        MetricsModule,
        EnginesModule.forRoot(engines ?? (() => createEngines(config))),
        UsersModule,
        AuthModule,
        HfTokenModule,
        IdempotencyModule,
        AdminModule,
        TracksModule,
        ReferencesModule,
        GenerationsModule,
        LibraryModule,
        PlaylistsModule,
        WebhooksModule,
        HealthModule,
        WebModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
    };
  }
}
