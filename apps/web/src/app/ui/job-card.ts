import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import type { GenerationResponse } from '@texttune/contracts';
import { ActiveJobs } from '../core/active-jobs';
import { progressView } from '../core/generation-watch';

/** "about 6 s left" / "about 2 min left" in the reader's language. */
export function etaText(transloco: TranslocoService, seconds: number | null): string {
  if (seconds === null) return '';
  return seconds < 60 ? transloco.translate('generate.etaSeconds', { n: seconds }) : transloco.translate('generate.etaMinutes', { n: Math.ceil(seconds / 60) });
}

/** One unfinished generation as a card: what it is, where it is (queue place, progress, time left), and Cancel. */
@Component({
  selector: 'tt-job-card',
  imports: [RouterLink, TranslocoPipe],
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
    <div
      class="bar"
      role="progressbar"
      [class.indeterminate]="view().percent === null"
      [attr.aria-labelledby]="'job-' + job().job_id"
      aria-valuemin="0"
      aria-valuemax="100"
      [attr.aria-valuenow]="view().percent"
      [attr.aria-valuetext]="view().percent === null ? ('generate.status.' + view().phase | transloco) : view().percent + '%'"
    >
      <div class="fill" [style.width.%]="view().percent ?? 30"></div>
    </div>
    <p class="detail">{{ detail() }}</p>
  `,
  styles: `
    :host { display: grid; gap: 0.5rem; padding: 0.9rem 1.1rem; border: 1px solid var(--border); border-radius: var(--radius-lg); background: var(--surface-2); }
    .head { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
    .what { display: grid; gap: 0.15rem; min-width: 0; }
    .phase { font-weight: 700; }
    .prompt { color: var(--muted-strong); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .bar { height: 0.5rem; border-radius: 999px; background: var(--border); overflow: hidden; }
    .fill { height: 100%; background: linear-gradient(90deg, var(--accent), var(--accent-2)); border-radius: inherit; transition: width 0.3s ease; }
    .bar.indeterminate .fill { animation: slide 1.4s ease-in-out infinite; }
    @keyframes slide { from { transform: translateX(-100%); } to { transform: translateX(340%); } }
    .detail { margin: 0; color: var(--muted-strong); font-size: 0.875rem; font-variant-numeric: tabular-nums; min-height: 1.2em; }
  `,
  host: { role: 'group', '[attr.aria-labelledby]': "'job-' + job().job_id", '[attr.data-job-id]': 'job().job_id', 'data-testid': 'job-card' },
})
export class JobCard {
  private readonly jobs = inject(ActiveJobs);
  private readonly transloco = inject(TranslocoService);
  readonly job = input.required<GenerationResponse>();
  protected readonly view = computed(() => progressView(this.job()));
  protected readonly canceling = signal(false);
  protected readonly detail = computed(() => {
    const v = this.view();
    const parts: string[] = [];
    if (v.phase === 'queued' && v.position) parts.push(this.transloco.translate('generate.position', { n: v.position }));
    if (v.phase === 'running' && v.percent !== null) parts.push(`${v.percent}%`);
    if (v.etaSeconds !== null) parts.push(etaText(this.transloco, v.etaSeconds));
    return parts.join(' · ');
  });

  protected async cancel(): Promise<void> {
    this.canceling.set(true);
    try {
      await this.jobs.cancel(this.job().job_id);
    } finally {
      this.canceling.set(false);
    }
  }
}
