import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';
import { TranslocoService } from '@jsverse/transloco';
import { TranslocoPipe } from '@jsverse/transloco';
import { EMAIL_MAX_LENGTH, OIDC_ERROR_MESSAGES, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type AuthConfigResponse, type OidcErrorReason } from '@texttune/contracts';
import { AuthStore } from '../../core/auth';
import { ErrorText } from '../../core/error-text';
import { fieldErrors, toErrorResponse } from '../../core/errors';
import { safeReturnUrl } from '../../core/guards';

type Tab = 'signin' | 'register';
export interface SignInErrors {
  email?: string;
  password?: string;
  invite?: string;
  form?: string;
}

/** Where the server's answer belongs: at the email field, the password field, or the whole form. */
export function placeSignInError(code: string, message: string, fields: Record<string, string[]>): SignInErrors {
  const errors: SignInErrors = {};
  if (fields['email']?.length) errors.email = fields['email'].join(' ');
  if (fields['password']?.length) errors.password = fields['password'].join(' ');
  if (errors.email || errors.password) return errors;
  if (code === 'email_taken') return { email: message };
  if (code === 'invalid_credentials' || code === 'password_required' || code === 'weak_password') return { password: message };
  if (code === 'invite_required' || code === 'invite_invalid') return { invite: message };
  return { form: message };
}

@Component({
  selector: 'tt-signin',
  imports: [ReactiveFormsModule, TranslocoPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './signin.html',
  styleUrl: './signin.css',
})
export class SignInPage {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly errorText = inject(ErrorText);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly transloco = inject(TranslocoService);
  /** query parameters */
  readonly returnUrl = input<string>();
  readonly expired = input<string>();
  /** a single sign-on failure (`?error=<reason>`) */
  readonly error = input<string>();
  /** an admin's invite code (`?invite=<code>`, the link `POST /v1/admin/invites` gives) */
  readonly invite = input<string>();

  protected readonly config = signal<AuthConfigResponse | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly tab = signal<Tab>('signin');
  protected readonly busy = signal(false);
  protected readonly errors = signal<SignInErrors>({});
  /** The person chose (or the account needs) a password in open mode. */
  protected readonly usePassword = signal(false);
  /** Email + password (and registration): always in password mode; in open mode on request. */
  protected readonly passwordMode = computed(() => {
    const config = this.config();
    if (!config) return false;
    return config.methods.password && (config.mode === 'password' || !config.methods.emailLogin || this.usePassword());
  });
  /** Single sign-on: the provider's button, alone in `oidc` mode. */
  protected readonly oidc = computed(() => {
    const config = this.config();
    return config?.methods.oidc && config.oidc ? config.oidc : null;
  });
  protected readonly oidcOnly = computed(() => this.config()?.mode === 'oidc');
  protected readonly oidcHref = computed(() => {
    const oidc = this.oidc();
    if (!oidc) return null;
    const url = new URL(oidc.loginUrl, 'http://x');
    url.searchParams.set('returnUrl', safeReturnUrl(this.returnUrl()));
    return oidc.loginUrl.startsWith('http') ? url.toString() : `${url.pathname}${url.search}`;
  });
  /** The sentence for a single sign-on failure, in the reader's language. */
  protected readonly oidcError = computed(() => {
    const reason = this.error();
    if (!reason) return null;
    const key = `oidcErrors.${reason}`;
    const translated = this.transloco.translate(key);
    return translated !== key ? translated : (OIDC_ERROR_MESSAGES[reason as OidcErrorReason] ?? this.transloco.translate('signin.oidcFailed'));
  });
  /** REGISTRATION=invite: creating an account takes an invite code. */
  protected readonly inviteMode = computed(() => this.config()?.registration === 'invite');
  protected readonly canUseQuickLogin = computed(() => !!this.config()?.methods.emailLogin);
  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly emailMax = EMAIL_MAX_LENGTH;
  protected readonly passwordMax = PASSWORD_MAX_LENGTH;
  protected readonly user = this.auth.user;

  protected readonly form = this.fb.group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(EMAIL_MAX_LENGTH)]],
    password: [''],
    invite: [''],
  });

  constructor() {
    this.auth.config().then(
      (config) => {
        this.config.set(config);
        // An invite link opens the sign-up form with its code filled in.
        const invite = this.invite();
        if (invite && config.methods.register) {
          this.form.controls.invite.setValue(invite);
          if (config.mode === 'open') this.usePassword.set(true);
          this.tab.set('register');
        }
      },
      (error: unknown) => this.loadError.set(this.errorText.describe(toErrorResponse(error))),
    );
  }

  protected togglePassword(on: boolean): void {
    this.usePassword.set(on);
    this.tab.set('signin');
    this.errors.set({});
    setTimeout(() => document.getElementById(on ? 'password' : 'email')?.focus());
  }

  protected selectTab(tab: Tab): void {
    this.tab.set(tab);
    this.errors.set({});
  }

  protected async submit(): Promise<void> {
    const password = this.form.controls.password;
    if (this.passwordMode()) password.setValidators([Validators.required, Validators.minLength(PASSWORD_MIN_LENGTH), Validators.maxLength(PASSWORD_MAX_LENGTH)]);
    else password.clearValidators();
    password.updateValueAndValidity();
    this.form.markAllAsTouched();
    this.errors.set({});
    if (this.form.invalid) return;
    const { email, invite } = this.form.getRawValue();
    await this.run(() => {
      if (!this.passwordMode()) return this.auth.login(email.trim());
      if (this.tab() === 'register') return this.auth.register(email.trim(), password.value, this.inviteMode() ? invite.trim() : undefined);
      return this.auth.login(email.trim(), password.value);
    });
  }

  protected async continueAsGuest(): Promise<void> {
    this.errors.set({});
    await this.run(() => this.auth.guest());
  }

  protected async continueSignedIn(): Promise<void> {
    await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
  }

  protected invalid(name: 'email' | 'password' | 'invite'): boolean {
    const control = this.form.controls[name];
    return (control.invalid && control.touched) || !!this.errors()[name];
  }

  private async run(action: () => Promise<unknown>): Promise<void> {
    this.busy.set(true);
    try {
      await action();
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (error) {
      const body = toErrorResponse(error);
      // An account with a password cannot use the quick login: ask for the password.
      if (body.code === 'password_required' && !this.passwordMode()) {
        this.usePassword.set(true);
        setTimeout(() => document.getElementById('password')?.focus());
      }
      this.errors.set(placeSignInError(body.code, this.errorText.describe(body), fieldErrors(body)));
    } finally {
      this.busy.set(false);
    }
  }
}
