import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { TranslocoService } from '@jsverse/transloco';
import type { GenerationResponse } from '@texttune/contracts';
import { Subject, type Subscription } from 'rxjs';
import { Api } from './api';
import { AuthStore } from './auth';
import { GenerationWatcher, isFinished } from './generation-watch';
import { Notifications } from './notifications';

/** Statuses of the jobs still under way (`GET /v1/generations?status=`). */
export const UNFINISHED = ['queued', 'running'] as const;
/**
 * Jobs followed over their own event stream at once: a browser opens about six
 * connections per server, and pages need some for their own requests.
 */
export const MAX_LIVE_STREAMS = 4;
/** How often jobs beyond MAX_LIVE_STREAMS are asked about, all in one request. */
export const LIST_POLL_MS = 3000;

/**
 * The signed-in user's unfinished generations, wherever they are in the app: loaded when
 * someone signs in, followed live, and announced when they finish (`finished`), with a
 * message for a job nobody is looking at (the create page shows its own job's outcome).
 */
@Injectable({ providedIn: 'root' })
export class ActiveJobs {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);
  private readonly watcher = inject(GenerationWatcher);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);

  /** unfinished jobs, newest first */
  readonly jobs = signal<GenerationResponse[]>([]);
  readonly count = computed(() => this.jobs().length);
  private readonly finishedJobs = new Subject<GenerationResponse>();
  /** every followed job once it has finished (succeeded, failed or canceled) */
  readonly finished = this.finishedJobs.asObservable();

  private readonly streams = new Map<string, Subscription>();
  /** the job the create page shows: its outcome is told there */
  private inView: string | null = null;
  private pollTimer?: ReturnType<typeof setTimeout>;
  private userId: string | null = null;

  constructor() {
    effect(() => {
      const id = this.auth.user()?.id ?? null;
      untracked(() => {
        if (id === this.userId) return;
        this.userId = id;
        this.clear();
        if (id) void this.load();
      });
    });
    inject(DestroyRef).onDestroy(() => this.clear());
  }

  /** Asks the server for the user's unfinished jobs and follows each. */
  async load(): Promise<void> {
    try {
      const { items } = await this.api.generations(20, undefined, UNFINISHED);
      for (const job of [...items].reverse()) if (!isFinished(job.status)) this.upsert(job);
      this.schedule();
    } catch {
      // not signed in after all, or the server is busy: the next job started here is followed anyway
    }
  }

  /** Follows a job (one just created, or one a page learned about); finished ones are ignored. */
  follow(job: GenerationResponse): void {
    if (isFinished(job.status)) return;
    this.upsert(job);
    this.schedule();
  }

  /** The create page shows this job (or none): its outcome is not announced again. */
  showing(id: string | null): void {
    this.inView = id;
  }

  async cancel(id: string): Promise<void> {
    try {
      this.update(await this.api.cancelGeneration(id));
    } catch {
      // the interceptor said why; the stream still tells the outcome
    }
  }

  private upsert(job: GenerationResponse): void {
    this.jobs.update((list) => {
      const at = list.findIndex((j) => j.job_id === job.job_id);
      if (at === -1) return [job, ...list];
      const next = [...list];
      next[at] = job;
      return next;
    });
  }

  private update(job: GenerationResponse): void {
    if (!this.jobs().some((j) => j.job_id === job.job_id)) return;
    if (isFinished(job.status)) this.finish(job);
    else this.upsert(job);
  }

  /** Live streams for up to MAX_LIVE_STREAMS jobs; one list request now and then for any beyond them. */
  private schedule(): void {
    const jobs = this.jobs();
    for (const job of jobs) {
      if (this.streams.size >= MAX_LIVE_STREAMS) break;
      if (this.streams.has(job.job_id)) continue;
      const subscription = this.watcher.watch(job.job_id).subscribe({
        next: (state) => this.update(state),
        // lost: the next list request (or a reload) finds it again
        error: () => this.streams.delete(job.job_id),
      });
      if (!subscription.closed) this.streams.set(job.job_id, subscription);
    }
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    if (jobs.length > this.streams.size) this.pollTimer = setTimeout(() => void this.poll(), LIST_POLL_MS);
  }

  private async poll(): Promise<void> {
    const user = this.userId;
    try {
      const { items } = await this.api.generations(100, undefined, UNFINISHED);
      if (user !== this.userId) return;
      const unfinished = new Map(items.map((job) => [job.job_id, job]));
      for (const job of this.jobs()) {
        const current = unfinished.get(job.job_id);
        if (current) this.update(current);
        else if (!this.streams.has(job.job_id)) this.update(await this.api.generation(job.job_id));
      }
    } catch {
      // asked again below
    }
    this.schedule();
  }

  private finish(job: GenerationResponse): void {
    this.streams.get(job.job_id)?.unsubscribe();
    this.streams.delete(job.job_id);
    this.jobs.update((list) => list.filter((j) => j.job_id !== job.job_id));
    this.finishedJobs.next(job);
    if (job.job_id !== this.inView) this.announce(job);
    this.schedule();
  }

  private announce(job: GenerationResponse): void {
    const prompt = job.prompt.length > 60 ? `${job.prompt.slice(0, 59)}…` : job.prompt;
    if (job.status === 'succeeded') this.notifications.info(this.transloco.translate('jobs.ready', { prompt }), 8000);
    else if (job.status === 'failed') this.notifications.error(this.transloco.translate('jobs.failed', { prompt, reason: jobFailureText(this.transloco, job) }));
  }

  private clear(): void {
    for (const subscription of this.streams.values()) subscription.unsubscribe();
    this.streams.clear();
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.jobs.set([]);
  }
}

/** A failed job's reason in the reader's language (by its code), else the server's sentence. */
export function jobFailureText(transloco: TranslocoService, job: GenerationResponse): string {
  const key = job.error?.code ? `generationErrors.${job.error.code}` : '';
  const translated = key ? transloco.translate(key) : '';
  return translated && translated !== key ? translated : (job.error?.message ?? transloco.translate('generate.failed'));
}
