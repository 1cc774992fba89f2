import { BullModule, getQueueToken } from '@nestjs/bull';
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { Queue } from 'bull';
import { bullRedisClients } from '../common/redis-connection';
import type { AppConfig } from '../config/app-config';
import { BullJobQueue, bullQueueOptions } from './bull-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { JOB_QUEUE } from './job-queue';
import { GENERATION_QUEUE } from './queue.constants';

/** The job queue: Bull on Redis when REDIS_URL is set, the in-process driver otherwise. */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    const policy = { maxAttempts: config.queue.maxAttempts, backoffMs: config.queue.backoffMs };
    if (!config.redisUrl) {
      const provider: Provider = { provide: JOB_QUEUE, useFactory: () => new InProcessJobQueue(policy) };
      return { module: QueueModule, providers: [provider], exports: [JOB_QUEUE] };
    }
    const connections = bullRedisClients();
    const provider: Provider = {
      provide: JOB_QUEUE,
      inject: [getQueueToken(GENERATION_QUEUE)],
      useFactory: (queue: Queue<{ id: string }>) => {
        queue.once('close', () => connections.close());
        return new BullJobQueue(queue, policy);
      },
    };
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot({ url: config.redisUrl, createClient: connections.createClient, ...bullQueueOptions({ ...policy, lockSeconds: config.queue.lockSeconds, prefix: config.redisPrefix }) }),
        BullModule.registerQueue({ name: GENERATION_QUEUE }),
      ],
      providers: [provider],
      exports: [JOB_QUEUE],
    };
  }
}
