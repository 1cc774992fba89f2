import { DatePipe, DecimalPipe } from '@angular/common';
import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, signal, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import type { HfTokenStatus } from '@texttune/contracts';
import { Api } from '../../core/api';
import { AuthStore } from '../../core/auth';
import { ErrorText } from '../../core/error-text';
import { fieldErrors, toErrorResponse } from '../../core/errors';
import { LanguageService } from '../../core/language';
import { PlaybackSettings } from '../../core/loudness';
import { Notifications } from '../../core/notifications';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { SettingsNav } from '../../ui/settings-nav';

/** What a removed (or never set) token looks like, when the server answers a DELETE with no body. */
const noToken = (policy: HfTokenStatus['policy'] = 'server-fallback'): HfTokenStatus => ({ set: false, last4: null, account: null, verification: null, warning: null, updated_at: null, policy });

/**
 * The account's own settings: who is signed in and their limits, and their own Hugging
 * Face token (set, replace, remove; the token itself is never shown again, only its end),
 * and this browser's playback settings (loudness normalization).
 */
@Component({
  selector: 'tt-settings',
  imports: [DatePipe, DecimalPipe, RouterLink, TranslocoPipe, ConfirmDialog, SettingsNav],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './settings.html',
  styleUrl: './settings.css',
})
export class SettingsPage {
  private readonly api = inject(Api);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  private readonly errorText = inject(ErrorText);
  protected readonly auth = inject(AuthStore);
  protected readonly playback = inject(PlaybackSettings);
  /** the locale of dates and numbers */
  protected readonly lang = inject(LanguageService).current;
  protected readonly status = signal<HfTokenStatus | null>(null);
  /** the server has no personal Hugging Face tokens (404), or it could not be asked */
  protected readonly unavailable = signal<'missing' | 'failed' | null>(null);
  protected readonly draft = signal('');
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal<'save' | 'remove' | null>(null);
  /** the server said it cannot store tokens (no SECRETS_KEY) when asked to save one */
  private readonly refusedStoring = signal(false);
  /** whether this server can keep a token (its SECRETS_KEY is set): otherwise the form is shown disabled, with why */
  protected readonly canStore = computed(() => this.status()?.available !== false && !this.refusedStoring());
  private readonly confirmRemove = viewChild.required<ConfirmDialog>('confirmRemove');
  private readonly tokenInput = viewChild<ElementRef<HTMLInputElement>>('tokenInput');

  constructor() {
    void this.auth.reload().catch(() => undefined);
    void this.load();
  }

  protected setNormalizeLoudness(event: Event): void {
    this.playback.setNormalizeLoudness((event.target as HTMLInputElement).checked);
  }

  protected async load(): Promise<void> {
    this.unavailable.set(null);
    try {
      this.status.set(await this.api.hfToken());
    } catch (error) {
      this.unavailable.set(error instanceof HttpErrorResponse && (error.status === 404 || error.status === 405) ? 'missing' : 'failed');
    }
  }

  protected async save(): Promise<void> {
    const token = this.draft().trim();
    this.error.set(null);
    if (!token) {
      this.error.set(this.transloco.translate('settings.hf.required'));
      document.getElementById('hf-token')?.focus();
      return;
    }
    const replacing = !!this.status()?.set;
    this.busy.set('save');
    try {
      this.status.set(await this.api.setHfToken(token));
      this.notifications.info(this.transloco.translate(replacing ? 'settings.hf.replaced' : 'settings.hf.saved'));
      // Stored: the token leaves the page, it is never shown again.
      this.draft.set('');
      const input = this.tokenInput()?.nativeElement;
      if (input) input.value = '';
    } catch (error) {
      // What was typed stays, to try again or correct.
      const body = toErrorResponse(error);
      if (body.code === 'not_ready' && (body.details as { missing?: string } | undefined)?.missing === 'SECRETS_KEY') {
        this.refusedStoring.set(true);
        return;
      }
      this.error.set(fieldErrors(body)['token']?.join(' ') || this.errorText.describe(body));
      document.getElementById('hf-token')?.focus();
    } finally {
      this.busy.set(null);
    }
  }

  protected async remove(): Promise<void> {
    if (!(await this.confirmRemove().ask())) return;
    this.busy.set('remove');
    try {
      const status = await this.api.deleteHfToken();
      this.status.set(status ?? noToken(this.status()?.policy));
      this.notifications.info(this.transloco.translate('settings.hf.removed'));
    } catch {
      // the interceptor showed the server's sentence
    } finally {
      this.busy.set(null);
    }
  }
}
