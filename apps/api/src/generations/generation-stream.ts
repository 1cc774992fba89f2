import { Injectable, type BeforeApplicationShutdown, type MessageEvent } from '@nestjs/common';
import { FINISHED_STATUSES, type GenerationResponse } from '@texttune/contracts';
import { Observable } from 'rxjs';
import type { AuthUser } from '../auth/auth-user';
import { GenerationEvents } from './generation-events';
import { GenerationsService } from './generations.service';

const POLL_MS = 1000;
const KEEPALIVE_MS = 15_000;

/**
 * A job's live progress as Server-Sent Events: `status` on every status change (first
 * with the current state), `progress`, `position` while queued, a keep-alive at least
 * every KEEPALIVE_MS, then `final` with the finished job, and the stream ends. Events
 * from the workers give low latency; a poll of the job keeps the stream correct when an
 * event is lost (Redis reconnecting) and keeps the queue position fresh.
 */
@Injectable()
export class GenerationStream implements BeforeApplicationShutdown {
  /** Ends each open event stream; a stopping server ends them all so it can close at once. */
  private readonly openStreams = new Set<() => void>();

  constructor(
    private readonly generations: GenerationsService,
    private readonly events: GenerationEvents,
  ) {}

  /**
   * On SIGTERM the HTTP server waits for open connections; event streams would keep it
   * up until their jobs finish. Ending them lets the browser's EventSource reconnect (to
   * another API process, or this one restarted) and pick up from the current state.
   */
  beforeApplicationShutdown(): void {
    for (const finish of [...this.openStreams]) finish();
  }

  /** The user's job `id` as an event stream; 404 (before any event) when it is not theirs. */
  async open(user: AuthUser, id: string): Promise<Observable<MessageEvent>> {
    await this.generations.findOwned(user, id);
    return new Observable<MessageEvent>((subscriber) => {
      let seq = 0;
      let last: GenerationResponse | undefined;
      let lastSentAt = 0;
      let done = false;
      let unsubscribe: (() => void) | undefined;
      const send = (type: 'status' | 'progress' | 'position' | 'final', job: GenerationResponse) => {
        last = job;
        lastSentAt = Date.now();
        subscriber.next({ type, id: `${Date.now()}-${++seq}`, data: job });
      };
      const finish = () => {
        done = true;
        clearInterval(poll);
        unsubscribe?.();
        this.openStreams.delete(finish);
        subscriber.complete();
      };
      this.openStreams.add(finish);
      // The event a snapshot of the job calls for: a new status, new progress or queue
      // position, or a keepalive; then the final one once the job is finished.
      const sendWhatChanged = (job: GenerationResponse, hint: 'progress' | 'poll') => {
        if (done) return;
        if (!last || job.status !== last.status) send('status', job);
        else if (hint === 'progress' && (job.progress !== last.progress || job.position !== last.position || job.eta_seconds !== last.eta_seconds)) send('progress', job);
        else if (hint === 'poll' && job.status === 'queued' && job.position !== last.position) send('position', job);
        else if (Date.now() - lastSentAt >= KEEPALIVE_MS) send(job.status === 'queued' ? 'position' : 'progress', job);
        if (FINISHED_STATUSES.includes(job.status)) {
          send('final', job);
          finish();
        }
      };
      const refresh = () =>
        this.generations.get(user, id).then(
          (job) => sendWhatChanged(job, 'poll'),
          (error: unknown) => !done && subscriber.error(error),
        );
      const poll = setInterval(() => void refresh(), POLL_MS);
      void this.events
        .subscribe(id, (change) => {
          // Events carry no queue position (only the API computes it): let the poll add it.
          if (change.job.status === 'queued' && change.type === 'status') void refresh();
          else sendWhatChanged(change.job, change.type === 'progress' ? 'progress' : 'poll');
        })
        .then((off) => {
          if (done) off();
          else unsubscribe = off;
          return refresh();
        });
      return () => {
        done = true;
        clearInterval(poll);
        unsubscribe?.();
        this.openStreams.delete(finish);
      };
    });
  }
}
