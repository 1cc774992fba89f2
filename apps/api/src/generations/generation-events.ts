import { Inject, Injectable } from '@nestjs/common';
import type { GenerationResponse } from '@texttune/contracts';
import { EVENT_BUS, type EventBus } from '../events/event-bus';

/** A change to a job, as published by whoever made it (worker, API). */
export interface GenerationChange {
  type: 'status' | 'progress';
  job: GenerationResponse;
}

const jobChannel = (id: string) => `generation:${id}`;
const CANCEL_CHANNEL = 'generation-cancel';

/** Job changes and cancel requests, across processes. */
@Injectable()
export class GenerationEvents {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  publish(change: GenerationChange): Promise<void> {
    return this.bus.publish(jobChannel(change.job.job_id), change);
  }

  subscribe(id: string, listener: (change: GenerationChange) => void): Promise<() => void> {
    return this.bus.subscribe(jobChannel(id), (message) => listener(message as GenerationChange));
  }

  /** Tells whichever worker runs `id` to stop it. */
  requestCancel(id: string): Promise<void> {
    return this.bus.publish(CANCEL_CHANNEL, { id });
  }

  onCancelRequest(listener: (id: string) => void): Promise<() => void> {
    return this.bus.subscribe(CANCEL_CHANNEL, (message) => {
      const id = (message as { id?: unknown }).id;
      if (typeof id === 'string') listener(id);
    });
  }
}
