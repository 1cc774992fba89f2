import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { HfTokenStatus } from '@texttune/contracts';
import { createPage, settled } from '../../../testing';
import { PLAYBACK_SETTINGS_KEY, PlaybackSettings } from '../../core/loudness';
import { SettingsPage } from './settings';

const me = { id: 'u1', email: 'ana@example.com', displayName: null, role: 'user', isGuest: false, createdAt: '', limits: { maxDurationSeconds: 30, dailySeconds: 0, maxActiveJobs: 2 } };
const none: HfTokenStatus = { set: false, last4: null, account: null, verification: null, warning: null, updated_at: null, policy: 'server-fallback' };

describe('SettingsPage', () => {
  let fixture: ComponentFixture<SettingsPage>;
  let backend: HttpTestingController;
  let el: HTMLElement;
  const settle = () => settled(fixture);
  const open = async (status: HfTokenStatus | 'missing') => {
    ({ fixture, backend, el } = createPage(SettingsPage));
    fixture.detectChanges();
    backend.expectOne('/v1/me').flush(me);
    const req = backend.expectOne('/v1/me/hf-token');
    if (status === 'missing') req.flush({ statusCode: 404, code: 'not_found', message: 'Cannot GET' }, { status: 404, statusText: 'Not Found' });
    else req.flush(status);
    await settle();
  };
  const type = (value: string) => {
    const input = el.querySelector<HTMLInputElement>('#hf-token')!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  afterEach(() => backend.verify());

  it('shows the account and its limits', async () => {
    await open(none);
    expect(el.querySelector('[data-testid="limit-duration"]')!.textContent).toBe('30 s');
    expect(el.textContent).toContain('unlimited');
  });

  it('turns loudness normalization off and on, kept in this browser (on by default)', async () => {
    localStorage.clear();
    await open(none);
    const box = el.querySelector<HTMLInputElement>('[data-testid="normalize-loudness"]')!;
    expect(box.checked).toBe(true);
    box.click();
    await settle();
    expect(JSON.parse(localStorage.getItem(PLAYBACK_SETTINGS_KEY)!)).toEqual({ v: 1, normalizeLoudness: false });
    expect(TestBed.inject(PlaybackSettings).normalizeLoudness()).toBe(false);
    box.click();
    await settle();
    expect(TestBed.inject(PlaybackSettings).normalizeLoudness()).toBe(true);
  });

  it('sets a token through a password field and never shows it again', async () => {
    await open(none);
    expect(el.querySelector('[data-testid="hf-status"]')!.textContent).toContain('No token set');
    const input = el.querySelector<HTMLInputElement>('#hf-token')!;
    expect(input.type).toBe('password');
    type('hf_secretsecret1234');
    el.querySelector<HTMLFormElement>('form.hf-form')!.dispatchEvent(new Event('submit'));
    const req = backend.expectOne('/v1/me/hf-token');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({ token: 'hf_secretsecret1234' });
    req.flush({ ...none, set: true, last4: '1234', account: 'ana-hf', verification: 'verified', updated_at: '2026-01-01T00:00:00.000Z' });
    await settle();
    expect(el.querySelector<HTMLInputElement>('#hf-token')!.value).toBe('');
    expect(el.innerHTML).not.toContain('hf_secretsecret1234');
    const status = el.querySelector('[data-testid="hf-status"]')!.textContent!;
    expect(status).toContain('ends with …1234');
    expect(status).toContain('Hugging Face account: ana-hf');
    expect(el.textContent).toContain('Replace token');
  });

  it('warns when the token could not be verified, and removes it after asking', async () => {
    await open({ ...none, set: true, last4: 'abcd', verification: 'unverified', warning: 'huggingface.co could not be reached.' });
    const status = el.querySelector('[data-testid="hf-status"]')!.textContent!;
    expect(status).toContain('ends with …abcd');
    expect(status).toContain('Not verified');
    expect(status).toContain('huggingface.co could not be reached.');
    [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === 'Remove token')!.click();
    await settle();
    el.querySelector<HTMLButtonElement>('dialog [data-confirm]')!.click();
    await settle();
    const req = backend.expectOne('/v1/me/hf-token');
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(el.querySelector('[data-testid="hf-status"]')!.textContent).toContain('No token set');
  });

  it('shows the server’s sentence at the field when the token is refused', async () => {
    await open(none);
    type('nonsense');
    el.querySelector<HTMLFormElement>('form.hf-form')!.dispatchEvent(new Event('submit'));
    backend.expectOne('/v1/me/hf-token').flush({ statusCode: 400, code: 'validation_failed', message: 'Invalid', details: { fields: { token: ['Hugging Face did not accept this token.'] } } }, { status: 400, statusText: 'Bad Request' });
    await settle();
    expect(el.querySelector('#hf-error')!.textContent).toContain('Hugging Face did not accept this token.');
  });

  it('keeps what was typed when saving fails', async () => {
    await open(none);
    type('hf_keepthisone1234');
    el.querySelector<HTMLFormElement>('form.hf-form')!.dispatchEvent(new Event('submit'));
    backend.expectOne('/v1/me/hf-token').flush({ statusCode: 400, code: 'validation_failed', message: 'Invalid', details: { fields: { token: ['Hugging Face did not accept this token.'] } } }, { status: 400, statusText: 'Bad Request' });
    await settle();
    expect(el.querySelector<HTMLInputElement>('#hf-token')!.value).toBe('hf_keepthisone1234');
  });

  it('shows the form disabled, saying why and what an administrator sets, when the server cannot store tokens', async () => {
    await open({ ...none, available: false });
    const notice = el.querySelector('[data-testid="hf-cannot-store"]')!.textContent!;
    expect(notice).toContain('cannot keep personal tokens');
    expect(notice).toContain('SECRETS_KEY');
    expect(notice).not.toContain('openssl');
    expect(el.querySelector<HTMLFieldSetElement>('form.hf-form fieldset')!.disabled).toBe(true);
  });

  it('switches the form off, keeping the typed token, when saving answers that SECRETS_KEY is missing', async () => {
    await open(none);
    expect(el.querySelector('[data-testid="hf-cannot-store"]')).toBeNull();
    type('hf_typedbeforehand99');
    el.querySelector<HTMLFormElement>('form.hf-form')!.dispatchEvent(new Event('submit'));
    backend
      .expectOne('/v1/me/hf-token')
      .flush({ statusCode: 503, code: 'not_ready', message: 'run openssl rand -base64 32', details: { missing: 'SECRETS_KEY' } }, { status: 503, statusText: 'Service Unavailable' });
    await settle();
    expect(el.querySelector('[data-testid="hf-cannot-store"]')).not.toBeNull();
    expect(el.querySelector<HTMLFieldSetElement>('form.hf-form fieldset')!.disabled).toBe(true);
    expect(el.querySelector<HTMLInputElement>('#hf-token')!.value).toBe('hf_typedbeforehand99');
    expect(el.textContent).not.toContain('openssl');
  });

  it('says so when the server does not take personal tokens', async () => {
    await open('missing');
    expect(el.querySelector('[data-testid="hf-token"]')!.textContent).toContain('does not take personal Hugging Face tokens');
    expect(el.querySelector('#hf-token')).toBeNull();
  });
});
