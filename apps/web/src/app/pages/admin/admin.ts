import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import type { AdminEngine, AdminEngineListResponse, AdminJob } from '@texttune/contracts';
import { Api } from '../../core/api';
import { LanguageService } from '../../core/language';
import { Notifications } from '../../core/notifications';
import { AdminAudit } from './admin-audit';
import { AdminUsers, guestName } from './admin-users';

const FAILURES_SHOWN = 15;
export const ADMIN_TABS = ['overview', 'users', 'audit'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

/**
 * Operators' view, in three tabs (`?tab=`): the overview (engines and their readiness and
 * recent numbers, the queue, recent failures with retry), the accounts, the audit log.
 */
@Component({
  selector: 'tt-admin',
  imports: [DatePipe, DecimalPipe, RouterLink, TranslocoPipe, AdminUsers, AdminAudit],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './admin.html',
  styleUrl: './admin.css',
})
export class AdminPage {
  private readonly api = inject(Api);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  /** the locale of dates and numbers */
  protected readonly lang = inject(LanguageService).current;
  protected readonly guestName = guestName;
  protected readonly engines = signal<AdminEngine[] | null>(null);
  protected readonly queue = signal<AdminEngineListResponse['queue']>(null);
  protected readonly failures = signal<AdminJob[] | null>(null);
  protected readonly retrying = signal<string | null>(null);
  protected readonly loading = signal(false);
  /** query parameter */
  readonly tab = input<string>();
  protected readonly tabs = ADMIN_TABS;
  protected readonly current = computed<AdminTab>(() => ((ADMIN_TABS as readonly string[]).includes(this.tab() ?? '') ? (this.tab() as AdminTab) : 'overview'));

  constructor() {
    effect(() => {
      if (this.current() === 'overview') untracked(() => void this.refresh());
    });
  }

  protected async refresh(): Promise<void> {
    this.loading.set(true);
    try {
      const [engines, failures] = await Promise.all([this.api.adminEngines(), this.api.adminJobs({ status: 'failed', limit: FAILURES_SHOWN })]);
      this.engines.set(engines.items);
      this.queue.set(engines.queue);
      this.failures.set(failures.items);
    } catch {
      // the interceptor showed why
    } finally {
      this.loading.set(false);
    }
  }

  protected async retry(job: AdminJob): Promise<void> {
    this.retrying.set(job.job_id);
    try {
      await this.api.retryJob(job.job_id);
      this.notifications.info(this.transloco.translate('admin.retried'));
      await this.refresh();
    } catch {
      // shown by the interceptor
    } finally {
      this.retrying.set(null);
    }
  }
}
