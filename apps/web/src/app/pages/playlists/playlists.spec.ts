import { HttpTestingController } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import type { PlaylistSummary } from '@texttune/contracts';
import { createPage, settled } from '../../../testing';
import { PlaylistsPage } from './playlists';

const summary = (id: string, title: string, track_count = 2): PlaylistSummary => ({ id, title, track_count, duration: 65, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-02T00:00:00.000Z' });

describe('PlaylistsPage', () => {
  let fixture: ComponentFixture<PlaylistsPage>;
  let backend: HttpTestingController;
  let el: HTMLElement;
  const settle = () => settled(fixture);
  const titles = () => [...el.querySelectorAll('[data-testid="playlists"] .title')].map((a) => a.textContent);

  beforeEach(async () => {
    ({ fixture, backend, el } = createPage(PlaylistsPage));
    fixture.detectChanges();
    backend.expectOne('/v1/playlists').flush({ items: [summary('p1', 'Focus')] });
    await settle();
  });
  afterEach(() => backend.verify());

  it('lists the playlists with their size', () => {
    expect(titles()).toEqual(['Focus']);
    expect(el.querySelector('.meta')!.textContent).toContain('2 tracks · 1:05');
  });

  it('creates one, saying why at the field when the server refuses', async () => {
    const input = el.querySelector<HTMLInputElement>('#new-playlist')!;
    el.querySelector<HTMLFormElement>('form.create')!.dispatchEvent(new Event('submit'));
    await settle();
    expect(el.querySelector('#new-playlist-error')!.textContent).toContain('Give the playlist a title.');
    input.value = '작업할 때 듣는 음악';
    input.dispatchEvent(new Event('input'));
    el.querySelector<HTMLFormElement>('form.create')!.dispatchEvent(new Event('submit'));
    const req = backend.expectOne((r) => r.url === '/v1/playlists' && r.method === 'POST');
    expect(req.request.body).toEqual({ title: '작업할 때 듣는 음악' });
    req.flush({ ...summary('p2', '작업할 때 듣는 음악', 0), tracks: [] });
    await settle();
    expect(titles()).toEqual(['작업할 때 듣는 음악', 'Focus']);
    input.value = 'One more';
    input.dispatchEvent(new Event('input'));
    el.querySelector<HTMLFormElement>('form.create')!.dispatchEvent(new Event('submit'));
    backend
      .expectOne((r) => r.url === '/v1/playlists' && r.method === 'POST')
      .flush({ statusCode: 409, code: 'limit_exceeded', message: 'You already have 200 playlists.', details: { max: 200 } }, { status: 409, statusText: 'Conflict' });
    await settle();
    expect(el.querySelector('#new-playlist-error')!.textContent).toContain('You already have 200 playlists.');
  });

  it('renames in place', async () => {
    el.querySelector<HTMLButtonElement>('button[aria-label="Rename Focus"]')!.click();
    await settle();
    const input = el.querySelector<HTMLInputElement>('#rename-p1')!;
    input.value = 'Deep focus';
    input.dispatchEvent(new Event('input'));
    el.querySelector<HTMLFormElement>('form.rename')!.dispatchEvent(new Event('submit'));
    const req = backend.expectOne('/v1/playlists/p1');
    expect(req.request.method).toBe('PATCH');
    req.flush({ ...summary('p1', 'Deep focus'), tracks: [] });
    await settle();
    expect(titles()).toEqual(['Deep focus']);
  });
});
