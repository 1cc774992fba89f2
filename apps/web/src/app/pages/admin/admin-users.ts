import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal, viewChild } from '@angular/core';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { ADMIN_PAGE_DEFAULT, QUOTA_DAILY_SECONDS_MAX, QUOTA_MAX_ACTIVE_JOBS_MAX, USER_ROLES, type AdminUser, type UpdateAdminUserRequest, type UserRole } from '@texttune/contracts';
import { Api } from '../../core/api';
import { AuthStore } from '../../core/auth';
import { LanguageService } from '../../core/language';
import { Notifications } from '../../core/notifications';
import { ConfirmDialog } from '../../ui/confirm-dialog';

const SEARCH_DEBOUNCE_MS = 300;

/** A quota field as typed: blank is the server default (null); otherwise a whole number in range. */
export function parseQuota(value: string, max: number): number | null | undefined {
  const text = value.trim();
  if (!text) return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= max ? n : undefined;
}

/** Accounts: search, role, disable/enable, per-user quota overrides, usage. */
@Component({
  selector: 'tt-admin-users',
  imports: [DatePipe, DecimalPipe, TranslocoPipe, ConfirmDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './admin-users.html',
  styleUrl: './admin.css',
})
export class AdminUsers {
  private readonly api = inject(Api);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  private readonly auth = inject(AuthStore);
  private readonly me = computed(() => this.auth.user()?.id ?? null);
  /** the locale of dates and numbers */
  protected readonly lang = inject(LanguageService).current;
  protected readonly roles = USER_ROLES;
  protected readonly users = signal<AdminUser[] | null>(null);
  protected readonly cursor = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly query = signal('');
  protected readonly busy = signal<string | null>(null);
  protected readonly editing = signal<string | null>(null);
  protected readonly quotaDraft = signal({ dailySeconds: '', maxActiveJobs: '' });
  protected readonly quotaError = signal<string | null>(null);
  protected readonly pending = signal<AdminUser | null>(null);
  /** What the confirmation dialog asks about. */
  protected readonly confirming = signal<'disable' | 'delete'>('disable');
  protected readonly dailyMax = QUOTA_DAILY_SECONDS_MAX;
  protected readonly jobsMax = QUOTA_MAX_ACTIVE_JOBS_MAX;
  private readonly confirm = viewChild.required<ConfirmDialog>('confirm');
  private run = 0;
  private debounce?: ReturnType<typeof setTimeout>;

  constructor() {
    void this.search('');
    inject(DestroyRef).onDestroy(() => clearTimeout(this.debounce));
  }

  /** How a user is named in the list: email or name; a guest by the start of their id, so guests can be told apart. */
  protected who(user: Pick<AdminUser, 'id' | 'email' | 'displayName'>): string {
    return user.email ?? user.displayName ?? guestName(this.transloco.translate('shell.guest'), user.id);
  }

  protected isMe(user: AdminUser): boolean {
    return user.id === this.me();
  }

  protected onSearch(value: string): void {
    this.query.set(value);
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.search(value), SEARCH_DEBOUNCE_MS);
  }

  protected async search(q: string): Promise<void> {
    const run = ++this.run;
    this.loading.set(true);
    try {
      const page = await this.api.adminUsers({ q, limit: ADMIN_PAGE_DEFAULT });
      if (run !== this.run) return;
      this.users.set(page.items);
      this.cursor.set(page.nextCursor);
    } catch {
      // the interceptor showed why
    } finally {
      if (run === this.run) this.loading.set(false);
    }
  }

  protected async more(): Promise<void> {
    const cursor = this.cursor();
    if (!cursor || this.loading()) return;
    const run = this.run;
    this.loading.set(true);
    try {
      const page = await this.api.adminUsers({ q: this.query(), limit: ADMIN_PAGE_DEFAULT, cursor });
      if (run !== this.run) return;
      const known = new Set((this.users() ?? []).map((u) => u.id));
      this.users.update((list) => [...(list ?? []), ...page.items.filter((u) => !known.has(u.id))]);
      this.cursor.set(page.nextCursor);
    } catch {
      // the interceptor showed why
    } finally {
      if (run === this.run) this.loading.set(false);
    }
  }

  protected async setRole(user: AdminUser, select: HTMLSelectElement): Promise<void> {
    const role = select.value;
    if (role === user.role || !(USER_ROLES as readonly string[]).includes(role)) return;
    // Refused: the list shows the role the account still has.
    if (!(await this.update(user, { role: role as UserRole }, 'admin.users.roleChanged'))) select.value = user.role;
  }

  protected async toggleDisabled(user: AdminUser): Promise<void> {
    if (!user.disabled && !(await this.ask('disable', user))) return;
    await this.update(user, { disabled: !user.disabled }, user.disabled ? 'admin.users.enabled' : 'admin.users.disabled');
  }

  protected async deleteUser(user: AdminUser): Promise<void> {
    if (!(await this.ask('delete', user))) return;
    this.busy.set(user.id);
    try {
      await this.api.deleteAdminUser(user.id);
      this.users.update((list) => list?.filter((u) => u.id !== user.id) ?? list);
      this.notifications.info(this.transloco.translate('admin.users.deleted', { who: this.who(user) }));
    } catch {
      // the interceptor showed the server's sentence
    } finally {
      this.busy.set(null);
    }
  }

  private ask(what: 'disable' | 'delete', user: AdminUser): Promise<boolean> {
    this.confirming.set(what);
    this.pending.set(user);
    return this.confirm().ask();
  }

  protected editQuota(user: AdminUser): void {
    this.editing.set(user.id);
    this.quotaError.set(null);
    this.quotaDraft.set({ dailySeconds: user.quota.dailySeconds?.toString() ?? '', maxActiveJobs: user.quota.maxActiveJobs?.toString() ?? '' });
    setTimeout(() => document.getElementById(`quota-daily-${user.id}`)?.focus());
  }

  protected setDraft(field: 'dailySeconds' | 'maxActiveJobs', value: string): void {
    this.quotaDraft.update((draft) => ({ ...draft, [field]: value }));
  }

  protected cancelQuota(user: AdminUser): void {
    this.editing.set(null);
    setTimeout(() => document.getElementById(`quota-edit-${user.id}`)?.focus());
  }

  protected async saveQuota(user: AdminUser): Promise<void> {
    const draft = this.quotaDraft();
    const dailySeconds = parseQuota(draft.dailySeconds, QUOTA_DAILY_SECONDS_MAX);
    const maxActiveJobs = parseQuota(draft.maxActiveJobs, QUOTA_MAX_ACTIVE_JOBS_MAX);
    if (dailySeconds === undefined || maxActiveJobs === undefined) {
      this.quotaError.set(this.transloco.translate('admin.users.quotaInvalid'));
      return;
    }
    if (await this.update(user, { quota: { dailySeconds, maxActiveJobs } }, 'admin.users.quotaChanged')) this.cancelQuota(user);
  }

  private async update(user: AdminUser, body: UpdateAdminUserRequest, message: string): Promise<boolean> {
    this.busy.set(user.id);
    try {
      const updated = await this.api.updateAdminUser(user.id, body);
      this.users.update((list) => list?.map((u) => (u.id === updated.id ? updated : u)) ?? list);
      this.notifications.info(this.transloco.translate(message, { who: this.who(updated) }));
      return true;
    } catch {
      // the interceptor showed the server's sentence
      return false;
    } finally {
      this.busy.set(null);
    }
  }
}

/** "Guest · 3f2a9c": the guest label and the first characters of the account's id. */
export function guestName(label: string, id: string): string {
  return `${label} · ${id.replace(/-/g, '').slice(0, 6)}`;
}
