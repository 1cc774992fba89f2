import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { ApiTokenResponse } from '@texttune/contracts';
import { AuthStore } from '../../core/auth';
import { createPage, settled } from '../../../testing';
import { TokensPage } from './tokens';

const listed: ApiTokenResponse = { id: 't1', name: 'nightly export', prefix: 'ttk_AbCd1234', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-04-01T00:00:00.000Z', lastUsedAt: null, expired: false, scopes: ['read', 'generate'] };

describe('TokensPage', () => {
  let fixture: ComponentFixture<TokensPage>;
  let backend: HttpTestingController;
  let el: HTMLElement;
  const settle = () => settled(fixture);

  beforeEach(async () => {
    ({ fixture, backend, el } = createPage(TokensPage));
    fixture.detectChanges();
    backend.expectOne('/v1/tokens').flush({ items: [listed] });
    await settle();
  });
  afterEach(() => backend.verify());

  it('lists tokens without their secret', () => {
    const row = el.querySelector('[data-token-id="t1"]')!;
    expect(row.textContent).toContain('nightly export');
    expect(row.textContent).toContain('ttk_AbCd1234…');
    expect(row.textContent).toContain('never');
    expect([...row.querySelectorAll('.scope-list .badge')].map((b) => b.textContent!.trim())).toEqual(['read', 'generate']);
  });

  it('creates a token with the scopes ticked (all but admin to begin with, admin not offered to a user)', async () => {
    const boxes = () => [...el.querySelectorAll<HTMLInputElement>('[data-testid="token-scopes"] input[type="checkbox"]')];
    expect(boxes().map((b) => [b.id, b.checked])).toEqual([
      ['token-scope-read', true],
      ['token-scope-generate', true],
      ['token-scope-manage', true],
    ]);
    for (const id of ['token-scope-generate', 'token-scope-manage']) {
      const box = el.querySelector<HTMLInputElement>(`#${id}`)!;
      box.checked = false;
      box.dispatchEvent(new Event('change'));
    }
    const name = el.querySelector<HTMLInputElement>('#token-name')!;
    name.value = 'library portal';
    name.dispatchEvent(new Event('input'));
    el.querySelector<HTMLFormElement>('form.create')!.dispatchEvent(new Event('submit'));
    const req = backend.expectOne((r) => r.url === '/v1/tokens' && r.method === 'POST');
    expect(req.request.body).toEqual({ name: 'library portal', expiresInDays: 90, scopes: ['read'] });
    req.flush({ ...listed, id: 't3', name: 'library portal', scopes: ['read'], token: 'ttk_secret' });
    await settle();
  });

  it('asks for a scope before sending a token without any', async () => {
    for (const box of el.querySelectorAll<HTMLInputElement>('[data-testid="token-scopes"] input')) {
      box.checked = false;
      box.dispatchEvent(new Event('change'));
    }
    const name = el.querySelector<HTMLInputElement>('#token-name')!;
    name.value = 'nothing';
    name.dispatchEvent(new Event('input'));
    el.querySelector<HTMLFormElement>('form.create')!.dispatchEvent(new Event('submit'));
    await settle();
    backend.expectNone((r) => r.method === 'POST');
    expect(el.querySelector('#token-name-error')!.textContent).toContain('Tick at least one scope.');
  });

  it('shows a new token once, with copy, and forgets it when done', async () => {
    Object.assign(navigator, { clipboard: { writeText: jest.fn().mockResolvedValue(undefined) } });
    const name = el.querySelector<HTMLInputElement>('#token-name')!;
    name.value = 'portal back end';
    name.dispatchEvent(new Event('input'));
    el.querySelector<HTMLFormElement>('form.create')!.dispatchEvent(new Event('submit'));
    const req = backend.expectOne((r) => r.url === '/v1/tokens' && r.method === 'POST');
    expect(req.request.body).toEqual({ name: 'portal back end', expiresInDays: 90, scopes: ['read', 'generate', 'manage'] });
    req.flush({ ...listed, id: 't2', name: 'portal back end', prefix: 'ttk_Zz', token: 'ttk_Zz-the-whole-secret' });
    await settle();
    expect(el.querySelector<HTMLInputElement>('#token-secret')!.value).toBe('ttk_Zz-the-whole-secret');
    expect(el.textContent).toContain('it is shown only this once');
    [...el.querySelectorAll<HTMLButtonElement>('[data-testid="created-token"] button')].find((b) => b.textContent!.includes('Copy'))!.click();
    await settle();
    expect(navigator.clipboard.writeText).toHaveBeenCalledWith('ttk_Zz-the-whole-secret');
    expect(el.querySelectorAll('tbody tr')).toHaveLength(2);
    [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === 'Done')!.click();
    await settle();
    expect(el.querySelector('#token-secret')).toBeNull();
    expect(el.textContent).not.toContain('the-whole-secret');
  });

  it('revokes after asking', async () => {
    el.querySelector<HTMLButtonElement>('button[aria-label="Revoke nightly export"]')!.click();
    await settle();
    el.querySelector<HTMLButtonElement>('dialog [data-confirm]')!.click();
    await settle();
    const req = backend.expectOne('/v1/tokens/t1');
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(el.textContent).toContain('No tokens yet.');
  });
});

describe('TokensPage for an admin', () => {
  it('offers the admin scope, unticked', async () => {
    const { fixture, backend, el } = createPage(TokensPage, undefined, () => TestBed.inject(AuthStore).user.set({ id: 'me', email: 'admin@example.com', displayName: null, role: 'admin', isGuest: false, createdAt: '' }));
    fixture.detectChanges();
    backend.expectOne('/v1/tokens').flush({ items: [] });
    await settled(fixture);
    const admin = el.querySelector<HTMLInputElement>('#token-scope-admin')!;
    expect(admin.checked).toBe(false);
    expect(admin.closest('label')!.textContent).toContain('the admin API');
    backend.verify();
  });
});
