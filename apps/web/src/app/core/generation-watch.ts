import { Injectable, InjectionToken, inject } from '@angular/core';
import { FINISHED_STATUSES, GENERATION_EVENT_TYPES, type GenerationResponse, type GenerationStatus } from '@texttune/contracts';
import { Observable, finalize, shareReplay } from 'rxjs';
import { Api } from './api';

/** Makes the EventSource (a seam for tests). */
export const EVENT_SOURCE = new InjectionToken<(url: string) => EventSource>('EVENT_SOURCE', {
  providedIn: 'root',
  factory: () => (url: string) => new EventSource(url, { withCredentials: true }),
});

export const POLL_INTERVAL_MS = 1000;
export const isFinished = (status: GenerationStatus): boolean => FINISHED_STATUSES.includes(status);

/**
 * Follows a job live: the SSE stream's `status`/`progress`/`position` events, then
 * `final`. If the stream fails before `final` (proxy, network), it polls instead.
 * Emits every state; completes after the finished one.
 */
@Injectable({ providedIn: 'root' })
export class GenerationWatcher {
  private readonly api = inject(Api);
  private readonly eventSource = inject(EVENT_SOURCE);
  /** One stream per job however many parts of the page follow it (a browser allows few connections per server). */
  private readonly streams = new Map<string, Observable<GenerationResponse>>();

  watch(id: string): Observable<GenerationResponse> {
    let stream = this.streams.get(id);
    if (!stream) {
      stream = this.open(id).pipe(
        finalize(() => this.streams.delete(id)),
        shareReplay({ bufferSize: 1, refCount: true }),
      );
      this.streams.set(id, stream);
    }
    return stream;
  }

  private open(id: string): Observable<GenerationResponse> {
    return new Observable<GenerationResponse>((subscriber) => {
      let closed = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let source: EventSource | undefined;

      const emit = (job: GenerationResponse) => {
        if (closed) return;
        subscriber.next(job);
        if (isFinished(job.status)) stop(true);
      };
      const stop = (complete: boolean) => {
        closed = true;
        source?.close();
        if (timer) clearTimeout(timer);
        if (complete) subscriber.complete();
      };
      const poll = () => {
        if (closed) return;
        this.api.generation(id).then(
          (job) => {
            emit(job);
            if (!closed) timer = setTimeout(poll, POLL_INTERVAL_MS);
          },
          (error: unknown) => {
            if (!closed) {
              stop(false);
              subscriber.error(error);
            }
          },
        );
      };

      try {
        source = this.eventSource(this.api.generationEventsUrl(id));
      } catch {
        poll();
        return () => stop(false);
      }
      for (const type of GENERATION_EVENT_TYPES) {
        source.addEventListener(type, (event) => {
          try {
            emit(JSON.parse((event as MessageEvent<string>).data) as GenerationResponse);
          } catch {
            // a malformed event: the next one (or the poll) carries the whole state again
          }
        });
      }
      source.onerror = () => {
        if (closed) return;
        // The stream broke before `final` (or never opened): poll until the job finishes.
        source?.close();
        source = undefined;
        poll();
      };
      return () => stop(false);
    });
  }
}

export interface ProgressView {
  phase: GenerationStatus;
  /** 0…100 while running; null while queued (indeterminate) */
  percent: number | null;
  position: number | null;
  etaSeconds: number | null;
}

/** What the progress bar shows for a job's state. */
export function progressView(job: GenerationResponse): ProgressView {
  const percent = job.status === 'running' ? Math.round(Math.min(1, Math.max(0, job.progress)) * 100) : job.status === 'succeeded' ? 100 : null;
  return {
    phase: job.status,
    percent,
    position: job.status === 'queued' ? job.position : null,
    etaSeconds: job.eta_seconds === null ? null : Math.max(0, Math.round(job.eta_seconds)),
  };
}
