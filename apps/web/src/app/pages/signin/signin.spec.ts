import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { AuthConfigResponse, AuthResponse } from '@texttune/contracts';
import { createPage, settled } from '../../../testing';
import { AuthStore } from '../../core/auth';
import { SignInPage, placeSignInError } from './signin';

const open: AuthConfigResponse = { mode: 'open', registration: 'open', methods: { emailLogin: true, guest: true, password: true, register: true, oidc: false }, oidc: null };
const password: AuthConfigResponse = { mode: 'password', registration: 'open', methods: { emailLogin: false, guest: false, password: true, register: true, oidc: false }, oidc: null };
const auth = (email: string | null): AuthResponse => ({
  user: { id: 'u1', email, displayName: null, role: 'user', isGuest: email === null, createdAt: '' },
  accessToken: 't',
  expiresAt: '',
});

describe('placing sign-in errors', () => {
  it('puts each answer at its field', () => {
    expect(placeSignInError('validation_failed', 'Check the form.', { email: ['email must be an email'] })).toEqual({ email: 'email must be an email' });
    expect(placeSignInError('invalid_credentials', 'Wrong email or password.', {})).toEqual({ password: 'Wrong email or password.' });
    expect(placeSignInError('email_taken', 'Taken.', {})).toEqual({ email: 'Taken.' });
    expect(placeSignInError('rate_limited', 'Slow down.', {})).toEqual({ form: 'Slow down.' });
    expect(placeSignInError('weak_password', 'Too common.', {})).toEqual({ password: 'Too common.' });
    expect(placeSignInError('invite_invalid', 'Not valid.', {})).toEqual({ invite: 'Not valid.' });
  });
});

describe('SignInPage', () => {
  let fixture: ComponentFixture<SignInPage>;
  let backend: HttpTestingController;
  let el: HTMLElement;
  const settle = () => settled(fixture);
  const button = (text: string) => [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === text);
  const type = (selector: string, value: string) => {
    const input = el.querySelector<HTMLInputElement>(selector)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };

  async function start(config: AuthConfigResponse, returnUrl?: string, inputs: Record<string, string> = {}) {
    ({ fixture, backend, el } = createPage(SignInPage, { ...(returnUrl ? { returnUrl } : {}), ...inputs }));
    fixture.detectChanges();
    backend.expectOne('/v1/auth/config').flush(config);
    await settle();
  }
  afterEach(() => backend.verify());

  it('open mode: quick email login and guest, then back to the page asked for', async () => {
    await start(open, '/library?q=x');
    expect(el.querySelector('#password')).toBeNull();
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl');
    button('Continue as guest')!.click();
    backend.expectOne('/v1/auth/guest').flush(auth(null));
    await settle();
    expect(TestBed.inject(AuthStore).user()?.isGuest).toBe(true);
    expect(navigate).toHaveBeenCalledWith('/library?q=x');
  });

  it('open mode: an account with a password asks for it', async () => {
    await start(open);
    type('#email', 'ana@example.com');
    button('Continue with email')!.click();
    const req = backend.expectOne('/v1/auth/login');
    expect(req.request.body).toEqual({ email: 'ana@example.com' });
    req.flush({ statusCode: 401, code: 'password_required', message: 'This account has a password: sign in with your email and password.' }, { status: 401, statusText: 'Unauthorized' });
    await settle();
    expect(el.querySelector('#password')).not.toBeNull();
    expect(el.querySelector('#password-error')!.textContent).toContain('This account has a password');
  });

  it('password mode: shows a wrong password at the password field, and does not leave the page', async () => {
    await start(password);
    expect(button('Continue as guest')).toBeUndefined();
    type('#email', 'ana@example.com');
    type('#password', 'wrong-password');
    el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const req = backend.expectOne('/v1/auth/login');
    expect(req.request.body).toEqual({ email: 'ana@example.com', password: 'wrong-password' });
    req.flush({ statusCode: 401, code: 'invalid_credentials', message: 'The email or password is wrong.' }, { status: 401, statusText: 'Unauthorized' });
    await settle();
    expect(el.querySelector('#password-error')!.textContent).toContain('The email or password is wrong.');
    expect(el.querySelector('#password')!.getAttribute('aria-invalid')).toBe('true');
  });

  it('password mode: validates before asking the server', async () => {
    await start(password);
    el.querySelector<HTMLButtonElement>('[role="tab"]#tab-register')!.click();
    await settle();
    type('#email', 'not-an-email');
    type('#password', 'short');
    expect(el.querySelector('button[type="submit"]')!.textContent!.trim()).toBe('Create account');
    el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settle();
    expect(el.querySelector('#email-error')!.textContent).toContain('valid email');
    expect(el.querySelector('#password-error')!.textContent).toContain('at least 10');
  });

  it('REGISTRATION=closed: no way to create an account', async () => {
    await start({ ...password, registration: 'closed', methods: { ...password.methods, register: false } });
    expect(el.querySelector('#tab-signin')).not.toBeNull();
    expect(el.querySelector('#tab-register')).toBeNull();
    expect(button('Create account')).toBeUndefined();
  });

  it('REGISTRATION=invite: an invite link opens sign-up with its code, sent with the new account', async () => {
    await start({ ...password, registration: 'invite' }, undefined, { invite: 'tti_code-from-the-link' });
    expect(el.querySelector('#tab-register')!.getAttribute('aria-selected')).toBe('true');
    expect(el.querySelector<HTMLInputElement>('#invite')!.value).toBe('tti_code-from-the-link');
    type('#email', 'new@example.com');
    type('#password', 'violet tram at dawn');
    el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const req = backend.expectOne('/v1/auth/register');
    expect(req.request.body).toEqual({ email: 'new@example.com', password: 'violet tram at dawn', invite: 'tti_code-from-the-link' });
    req.flush({ statusCode: 403, code: 'invite_invalid', message: 'This invite code is not valid.' }, { status: 403, statusText: 'Forbidden' });
    await settle();
    expect(el.querySelector('#invite-error')!.textContent).toContain('This invite code is not valid.');
  });

  it('REGISTRATION=open: no invite field', async () => {
    await start(password);
    el.querySelector<HTMLButtonElement>('[role="tab"]#tab-register')!.click();
    await settle();
    expect(el.querySelector('#invite')).toBeNull();
  });
});
