import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { ADMIN_PAGE_DEFAULT, AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '@texttune/contracts';
import { Api } from '../../core/api';
import { LanguageService } from '../../core/language';

const show = (value: unknown): string => (value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** An audit entry's details for people: "user → admin", or "key: value" pairs. */
export function describeDetails(details: Record<string, unknown> | null | undefined): string {
  if (!details) return '';
  const { from, to, ...rest } = details;
  const parts: string[] = [];
  if ('from' in details || 'to' in details) parts.push(`${show(from)} → ${show(to)}`);
  for (const [key, value] of Object.entries(rest)) parts.push(`${key}: ${show(value)}`);
  return parts.join(' · ');
}

/** The audit log: who did what, to whom, when, from where; newest first, filterable by action. */
@Component({
  selector: 'tt-admin-audit',
  imports: [DatePipe, TranslocoPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="audit-title">
      <div class="section-head">
        <h2 id="audit-title">{{ 'admin.audit.title' | transloco }}</h2>
        <label class="filter">
          <span>{{ 'admin.audit.action' | transloco }}</span>
          <select [value]="action()" (change)="filter($any($event.target).value)" data-testid="audit-action">
            <option value="" [selected]="action() === ''">{{ 'admin.audit.all' | transloco }}</option>
            @for (a of actions; track a) {
              <option [value]="a" [selected]="a === action()">{{ 'admin.audit.actions.' + a | transloco }}</option>
            }
          </select>
        </label>
      </div>
      <div class="table-wrap">
        <table class="stack-table" data-testid="audit-log">
          <thead>
            <tr>
              <th scope="col">{{ 'admin.audit.when' | transloco }}</th>
              <th scope="col">{{ 'admin.audit.who' | transloco }}</th>
              <th scope="col">{{ 'admin.audit.what' | transloco }}</th>
              <th scope="col">{{ 'admin.audit.details' | transloco }}</th>
              <th scope="col">{{ 'admin.audit.from' | transloco }}</th>
            </tr>
          </thead>
          <tbody>
            @for (entry of entries() ?? []; track entry.id) {
              <tr>
                <td class="small nums" [attr.data-label]="'admin.audit.when' | transloco">{{ entry.createdAt | date: 'medium' : undefined : lang() }}</td>
                <td class="small" [attr.data-label]="'admin.audit.who' | transloco">{{ entry.actor.email ?? entry.actor.id ?? '—' }}</td>
                <td class="small" [attr.data-label]="'admin.audit.what' | transloco">
                  <strong>{{ 'admin.audit.actions.' + entry.action | transloco }}</strong>
                  <div class="muted"><code>{{ entry.target.type }} {{ entry.target.id }}</code></div>
                </td>
                <td class="small" [attr.data-label]="'admin.audit.details' | transloco">{{ details(entry.details) }}</td>
                <td class="small" [attr.data-label]="'admin.audit.from' | transloco">
                  {{ entry.ip ?? '—' }}
                  @if (entry.userAgent) {
                    <div class="muted agent" [title]="entry.userAgent">{{ entry.userAgent }}</div>
                  }
                </td>
              </tr>
            } @empty {
              <tr>
                <td colspan="5" class="muted">{{ (loading() ? 'common.loading' : 'admin.audit.none') | transloco }}</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
      @if (cursor() && !loading()) {
        <div class="more"><button type="button" class="btn" (click)="more()">{{ 'library.more' | transloco }}</button></div>
      }
    </section>
  `,
  styleUrl: './admin.css',
})
export class AdminAudit {
  private readonly api = inject(Api);
  /** the locale of dates */
  protected readonly lang = inject(LanguageService).current;
  protected readonly actions = AUDIT_ACTIONS;
  protected readonly action = signal<AuditAction | ''>('');
  protected readonly entries = signal<AuditEntry[] | null>(null);
  protected readonly cursor = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly details = describeDetails;
  private run = 0;

  constructor() {
    void this.load(null);
  }

  protected filter(action: string): void {
    this.action.set((AUDIT_ACTIONS as readonly string[]).includes(action) ? (action as AuditAction) : '');
    this.entries.set(null);
    void this.load(null);
  }

  protected more(): void {
    if (this.cursor() && !this.loading()) void this.load(this.cursor());
  }

  private async load(cursor: string | null): Promise<void> {
    const run = cursor ? this.run : ++this.run;
    this.loading.set(true);
    try {
      const page = await this.api.adminAudit({ action: this.action(), limit: ADMIN_PAGE_DEFAULT, cursor });
      if (run !== this.run) return;
      this.entries.update((list) => (cursor ? [...(list ?? []), ...page.items] : page.items));
      this.cursor.set(page.nextCursor);
    } catch {
      // the interceptor showed why
    } finally {
      if (run === this.run) this.loading.set(false);
    }
  }
}
