import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '../common/timeout';
import { EngineRegistry } from '../engines/engine-registry';
import { JOB_QUEUE, type JobQueue } from '../queue/job-queue';
import { AUDIO_STORAGE, type AudioStorage } from '../storage/audio-storage';

const CHECK_TIMEOUT_MS = 3000;

/** The queue's backing store answers (Redis in scaled mode). */
@Injectable()
export class QueueHealthIndicator {
  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'queue') {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.queue.ping(), CHECK_TIMEOUT_MS);
      return indicator.up({ driver: this.queue.driver });
    } catch (error) {
      return indicator.down({ driver: this.queue.driver, message: `queue unreachable: ${(error as Error).message}` });
    }
  }
}

/** Audio can be written (disk not full or read-only, bucket reachable). */
@Injectable()
export class StorageHealthIndicator {
  constructor(
    @Inject(AUDIO_STORAGE) private readonly storage: AudioStorage,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'storage') {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.storage.checkWritable(), CHECK_TIMEOUT_MS);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: `storage not writable: ${(error as Error).message}` });
    }
  }
}

/** At least one engine can render. */
@Injectable()
export class EnginesHealthIndicator {
  constructor(
    private readonly engines: EngineRegistry,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'engines') {
    const indicator = this.health.check(key);
    const all = await this.engines.describeAll();
    const ready = all.filter((e) => e.ready).map((e) => e.id);
    if (ready.length) return indicator.up({ ready });
    return indicator.down({ message: all.length ? `no engine is ready: ${all.map((e) => `${e.id} (${e.reason ?? 'not ready'})`).join(', ')}` : 'no engine is configured' });
  }
}
