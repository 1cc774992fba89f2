import { Global, Module, type DynamicModule, type OnModuleDestroy, Inject } from '@nestjs/common';
import { connectRedis } from '../common/redis-connection';
import type { AppConfig } from '../config/app-config';
import { EVENT_BUS, LocalEventBus, RedisEventBus, type EventBus } from './event-bus';

class EventBusCloser implements OnModuleDestroy {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}
  onModuleDestroy() {
    return this.bus.close();
  }
}

/** Publish/subscribe between processes: Redis when REDIS_URL is set, in-process otherwise. */
@Global()
@Module({})
export class EventsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const url = config.redisUrl;
    return {
      module: EventsModule,
      providers: [
        {
          provide: EVENT_BUS,
          // Auto-pipelining: publishes made in the same tick (several jobs' events) share one write.
          useFactory: (): EventBus => url
              ? new RedisEventBus(connectRedis(url, { enableAutoPipelining: true }, 'events (publish)'), connectRedis(url, {}, 'events (subscribe)'), `${config.redisPrefix}:events:`)
              : new LocalEventBus(),
        },
        EventBusCloser,
      ],
      exports: [EVENT_BUS],
    };
  }
}
