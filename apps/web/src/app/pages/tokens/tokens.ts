import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import {
  API_TOKEN_DEFAULT_DAYS,
  API_TOKEN_DEFAULT_SCOPES,
  API_TOKEN_MAX_DAYS,
  API_TOKEN_NAME_MAX_LENGTH,
  API_TOKEN_PREFIX,
  API_TOKEN_SCOPES,
  type ApiTokenResponse,
  type ApiTokenScope,
  type CreatedApiTokenResponse,
} from '@texttune/contracts';
import { Api } from '../../core/api';
import { AuthStore } from '../../core/auth';
import { ErrorText } from '../../core/error-text';
import { fieldErrors, toErrorResponse } from '../../core/errors';
import { LanguageService } from '../../core/language';
import { Notifications } from '../../core/notifications';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Icon } from '../../ui/icon';
import { SettingsNav } from '../../ui/settings-nav';
import { ShownOnceSecret } from '../../ui/shown-once-secret';

/** How long a new token lasts: the choices offered (days). */
export const TOKEN_DAY_CHOICES = [7, 30, API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS] as const;

/** Personal API tokens: create one with its scopes (shown once, with copy), see what each may do and when it was used, revoke. */
@Component({
  selector: 'tt-tokens',
  imports: [DatePipe, RouterLink, TranslocoPipe, Icon, ConfirmDialog, SettingsNav, ShownOnceSecret],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './tokens.html',
  styleUrl: './tokens.css',
})
export class TokensPage {
  private readonly api = inject(Api);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  private readonly errorText = inject(ErrorText);
  /** the locale of dates */
  protected readonly lang = inject(LanguageService).current;
  private readonly auth = inject(AuthStore);
  /** guest accounts cannot have tokens (the server refuses): they are told so up front */
  protected readonly guest = computed(() => !!this.auth.user()?.isGuest);
  protected readonly tokens = signal<ApiTokenResponse[] | null>(null);
  protected readonly loadFailed = signal(false);
  protected readonly name = signal('');
  protected readonly days = signal<number>(API_TOKEN_DEFAULT_DAYS);
  /** the scopes ticked for the next token; `admin` is offered to admins only (the server refuses it to others) */
  protected readonly scopes = signal<readonly ApiTokenScope[]>(API_TOKEN_DEFAULT_SCOPES);
  protected readonly scopeChoices = computed(() => API_TOKEN_SCOPES.filter((scope) => scope !== 'admin' || this.auth.isAdmin()));
  protected readonly nameError = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  /** the token just created: the only time its secret is shown */
  protected readonly created = signal<CreatedApiTokenResponse | null>(null);
  protected readonly pending = signal<ApiTokenResponse | null>(null);
  protected readonly dayChoices = TOKEN_DAY_CHOICES;
  protected readonly nameMax = API_TOKEN_NAME_MAX_LENGTH;
  protected readonly prefix = API_TOKEN_PREFIX;
  private readonly confirmRevoke = viewChild.required<ConfirmDialog>('confirmRevoke');

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loadFailed.set(false);
    try {
      this.tokens.set((await this.api.apiTokens()).items);
    } catch {
      this.loadFailed.set(true);
    }
  }

  protected toggleScope(scope: ApiTokenScope, on: boolean): void {
    this.scopes.update((chosen) => API_TOKEN_SCOPES.filter((s) => (s === scope ? on : chosen.includes(s))));
  }

  protected async create(): Promise<void> {
    const name = this.name().trim();
    this.nameError.set(null);
    if (!name) {
      this.nameError.set(this.transloco.translate('tokens.nameRequired'));
      document.getElementById('token-name')?.focus();
      return;
    }
    if (!this.scopes().length) {
      this.nameError.set(this.transloco.translate('tokens.scopesRequired'));
      document.getElementById('token-scope-read')?.focus();
      return;
    }
    this.busy.set('create');
    try {
      const created = await this.api.createApiToken({ name, expiresInDays: this.days(), scopes: [...this.scopes()] });
      const { token: _secret, ...listed } = created;
      this.tokens.update((list) => [listed, ...(list ?? []).filter((t) => t.id !== created.id)]);
      this.created.set(created);
      this.name.set('');
    } catch (error) {
      const body = toErrorResponse(error);
      const fields = fieldErrors(body);
      this.nameError.set(fields['name']?.join(' ') || fields['expiresInDays']?.join(' ') || fields['scopes']?.join(' ') || this.errorText.describe(body));
    } finally {
      this.busy.set(null);
    }
  }

  protected dismissCreated(): void {
    this.created.set(null);
    setTimeout(() => document.getElementById('token-name')?.focus());
  }

  protected async revoke(token: ApiTokenResponse): Promise<void> {
    this.pending.set(token);
    if (!(await this.confirmRevoke().ask())) return;
    this.busy.set(`revoke-${token.id}`);
    try {
      await this.api.revokeApiToken(token.id);
      this.tokens.update((list) => list?.filter((t) => t.id !== token.id) ?? list);
      if (this.created()?.id === token.id) this.created.set(null);
      this.notifications.info(this.transloco.translate('tokens.revoked', { name: token.name }));
    } catch {
      // the interceptor showed the server's sentence
    } finally {
      this.busy.set(null);
    }
  }
}
