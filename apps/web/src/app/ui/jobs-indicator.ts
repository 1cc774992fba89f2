import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { ActiveJobs } from '../core/active-jobs';

/**
 * A small link to the Library while generations are under way: a spinner and how many.
 * Self-contained (no layout of its own beyond its box) so the header or the player bar
 * can place it; nothing is shown when no job is running.
 */
@Component({
  selector: 'tt-jobs-indicator',
  imports: [RouterLink, TranslocoPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (count()) {
      <a routerLink="/library" class="indicator" data-testid="jobs-indicator" [attr.aria-label]="'jobs.indicatorLabel' | transloco: { n: count() }" [attr.title]="'jobs.indicatorLabel' | transloco: { n: count() }">
        <span class="spinner" aria-hidden="true"></span>
        <span class="count" aria-hidden="true">{{ count() }}</span>
      </a>
    }
  `,
  styles: `
    :host { display: contents; }
    .indicator { display: inline-flex; align-items: center; gap: 0.35rem; padding: 0.2rem 0.55rem; min-height: 2rem; border-radius: 999px; border: 1px solid var(--border-strong); color: var(--accent-strong); text-decoration: none; font-weight: 700; font-variant-numeric: tabular-nums; }
    .indicator:hover { background: var(--accent-soft); }
    .spinner { width: 0.85rem; height: 0.85rem; }
  `,
})
export class JobsIndicator {
  private readonly jobs = inject(ActiveJobs);
  protected readonly count = computed(() => this.jobs.count());
}
