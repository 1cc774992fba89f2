import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import type { ProgressView } from '../core/generation-watch';

/** "about 6 s left" / "about 2 min left" in the reader's language. */
export function etaText(transloco: TranslocoService, seconds: number | null): string {
  if (seconds === null) return '';
  return seconds < 60 ? transloco.translate('generate.etaSeconds', { n: seconds }) : transloco.translate('generate.etaMinutes', { n: Math.ceil(seconds / 60) });
}

/**
 * A job's progress bar and the line under it (queue place, percent, time left), as the
 * Create page and the job cards show it. What the host projects follows the line (the
 * Create page's link to the finished track).
 */
@Component({
  selector: 'tt-job-progress',
  imports: [TranslocoPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div
      class="bar"
      role="progressbar"
      [class.indeterminate]="view().percent === null"
      [attr.aria-label]="label()"
      [attr.aria-labelledby]="labelledBy()"
      aria-valuemin="0"
      aria-valuemax="100"
      [attr.aria-valuenow]="view().percent"
      [attr.aria-valuetext]="view().percent === null ? ('generate.status.' + view().phase | transloco) : view().percent + '%'"
    >
      <div class="fill" [style.width.%]="view().percent ?? 30"></div>
    </div>
    <p class="detail" [attr.aria-live]="live() ? 'polite' : null">{{ detail() }}<ng-content /></p>
  `,
  styles: `
    :host { display: grid; gap: 0.5rem; }
    .bar { height: var(--job-bar-height, 0.5rem); border-radius: 999px; background: var(--border); overflow: hidden; }
    .fill { height: 100%; background: linear-gradient(90deg, var(--accent), var(--accent-2)); border-radius: inherit; transition: width 0.3s ease; }
    .bar.indeterminate .fill { animation: slide 1.4s ease-in-out infinite; }
    @keyframes slide { from { transform: translateX(-100%); } to { transform: translateX(340%); } }
    .detail { margin: 0; color: var(--muted-strong); font-size: var(--job-detail-size, 0.875rem); font-variant-numeric: tabular-nums; min-height: 1.2em; }
  `,
})
export class JobProgress {
  private readonly transloco = inject(TranslocoService);
  readonly view = input.required<ProgressView>();
  /** the bar's accessible name: a text, or the id of what names it */
  readonly label = input<string | null>(null);
  readonly labelledBy = input<string | null>(null);
  /** whether screen readers hear the line change (where it is the page's one job) */
  readonly live = input(false);
  protected readonly detail = computed(() => {
    this.transloco.activeLang(); // in the reader's language
    const v = this.view();
    const parts: string[] = [];
    if (v.phase === 'queued' && v.position) parts.push(this.transloco.translate('generate.position', { n: v.position }));
    if (v.phase === 'running' && v.percent !== null) parts.push(`${v.percent}%`);
    if ((v.phase === 'queued' || v.phase === 'running') && v.etaSeconds !== null) parts.push(etaText(this.transloco, v.etaSeconds));
    return parts.join(' · ');
  });
}
