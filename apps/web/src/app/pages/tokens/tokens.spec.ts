import { HttpTestingController } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import type { ApiTokenResponse } from '@texttune/contracts';
import { createPage, settled } from '../../../testing';
import { TokensPage } from './tokens';

const listed: ApiTokenResponse = { id: 't1', name: 'nightly export', prefix: 'ttk_AbCd1234', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-04-01T00:00:00.000Z', lastUsedAt: null, expired: false };

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
  });

  it('shows a new token once, with copy, and forgets it when done', async () => {
    Object.assign(navigator, { clipboard: { writeText: jest.fn().mockResolvedValue(undefined) } });
    const name = el.querySelector<HTMLInputElement>('#token-name')!;
    name.value = 'portal back end';
    name.dispatchEvent(new Event('input'));
    el.querySelector<HTMLFormElement>('form.create')!.dispatchEvent(new Event('submit'));
    const req = backend.expectOne((r) => r.url === '/v1/tokens' && r.method === 'POST');
    expect(req.request.body).toEqual({ name: 'portal back end', expiresInDays: 90 });
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
