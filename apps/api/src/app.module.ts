import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { loggerParams } from './common/logging';
import type { AppConfig, ProcessRole } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { dataSourceOptions } from './database/data-source';
import { createEngines } from './engines/create-engines';
import { EnginesModule } from './engines/engines.module';
import type { MusicEngine } from './engines/music-engine';
import { ENTITIES } from './entities';
import { EventsModule } from './events/events.module';
import { HfTokenModule } from './hf-token/hf-token.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { MetricsModule } from './metrics/metrics.module';
import { QueueModule } from './queue/queue.module';
import { StorageModule } from './storage/storage.module';
import { WorkerModule } from './worker.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Resolved before Nest starts: DATABASE_URL, or the embedded server's URL. */
  databaseUrl: string;
  /** Engines to use instead of those the configuration selects (tests). */
  engines?: () => MusicEngine[];
}

/** What each role is made of: the API serves HTTP, the worker runs the jobs, `all` (embedded) does both. */
const ROLE_MODULES: Record<ProcessRole, Type[]> = {
  api: [ApiModule],
  worker: [WorkerModule],
  all: [ApiModule, WorkerModule],
};

/** The process's root: the infrastructure every role shares, then the role's own modules. */
@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, engines }: AppModuleOptions, role: ProcessRole = config.role): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, ENTITIES)),
        DatabaseModule,
        QueueModule.forRoot(config),
        EventsModule.forRoot(config),
        StorageModule.forRoot(config),
        MetricsModule,
        EnginesModule.forRoot({ engines: engines ?? (() => createEngines(config)), userTokens: HfTokenModule }),
        IdempotencyModule,
        ...ROLE_MODULES[role],
      ],
    };
  }
}
