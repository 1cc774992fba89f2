import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { GenerationResponse } from '@texttune/contracts';
import { ActiveJobs } from '../core/active-jobs';
import { progressView } from '../core/generation-watch';
import { JobProgress } from './job-progress';

/** One unfinished generation as a card: what it is, where it is (queue place, progress, time left), and Cancel. */
@Component({
  selector: 'tt-job-card',
  imports: [RouterLink, TranslocoPipe, JobProgress],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="head">
      <div class="what">
        <span class="phase" [attr.id]="'job-' + job().job_id">{{ 'generate.status.' + view().phase | transloco }}</span>
        <a class="prompt" [routerLink]="['/create']" [queryParams]="{ job: job().job_id }">{{ job().prompt }}</a>
      </div>
      <button type="button" class="btn small danger-outline" (click)="cancel()" [disabled]="canceling() || job().cancel_requested" [attr.aria-label]="'jobs.cancelNamed' | transloco: { prompt: job().prompt }">
        {{ (canceling() || job().cancel_requested ? 'generate.canceling' : 'generate.cancel') | transloco }}
      </button>
    </div>
    <tt-job-progress [view]="view()" [labelledBy]="'job-' + job().job_id" />
  `,
  styles: `
    :host { display: grid; gap: 0.5rem; padding: 0.9rem 1.1rem; border: 1px solid var(--border); border-radius: var(--radius-lg); background: var(--surface-2); }
    .head { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
    .what { display: grid; gap: 0.15rem; min-width: 0; }
    .phase { font-weight: 700; }
    .prompt { color: var(--muted-strong); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  `,
  host: { role: 'group', '[attr.aria-labelledby]': "'job-' + job().job_id", '[attr.data-job-id]': 'job().job_id', 'data-testid': 'job-card' },
})
export class JobCard {
  private readonly jobs = inject(ActiveJobs);
  readonly job = input.required<GenerationResponse>();
  protected readonly view = computed(() => progressView(this.job()));
  protected readonly canceling = signal(false);
  protected async cancel(): Promise<void> {
    this.canceling.set(true);
    try {
      await this.jobs.cancel(this.job().job_id);
    } finally {
      this.canceling.set(false);
    }
  }
}
