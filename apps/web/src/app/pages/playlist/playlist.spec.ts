import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { LibraryItem, PlaylistResponse } from '@texttune/contracts';
import { createPage, settled, track } from '../../../testing';
import { Player } from '../../core/player';
import { PlaylistPage } from './playlist';

const item = (id: string): LibraryItem => {
  const { params: _p, engine_meta: _m, channels: _c, size_bytes: _s, renditions: _r, peaks: _k, sibling_ids: _i, ...rest } = track({ id, title: `Track ${id}`, audio_url: `/v1/stream/${id}`, peaks_url: null });
  return rest;
};
const playlist = (ids: string[]): PlaylistResponse => ({ id: 'p1', title: 'Focus', track_count: ids.length, duration: ids.length * 5, created_at: '', updated_at: '', tracks: ids.map(item) });

describe('PlaylistPage', () => {
  let fixture: ComponentFixture<PlaylistPage>;
  let backend: HttpTestingController;
  let el: HTMLElement;
  const settle = () => settled(fixture);
  const order = () => [...el.querySelectorAll('[data-testid="playlist-tracks"] > li')].map((li) => li.getAttribute('data-track-id'));
  const button = (label: string) => el.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`)!;

  beforeEach(async () => {
    ({ fixture, backend, el } = createPage(PlaylistPage, { id: 'p1' }));
    fixture.detectChanges();
    backend.expectOne('/v1/playlists/p1').flush(playlist(['a', 'b', 'c']));
    await settle();
    backend.expectOne('/v1/playlists/p1/shares').flush({ items: [] });
    await settle();
  });
  afterEach(() => backend.verify());

  it('lists the tracks in order, with move up/down buttons at the right ends', () => {
    expect(el.querySelector('h1')!.textContent).toBe('Focus');
    expect(order()).toEqual(['a', 'b', 'c']);
    expect(button('Move Track a up').disabled).toBe(true);
    expect(button('Move Track c down').disabled).toBe(true);
  });

  it('reorders with the keyboard in one PUT of the whole order, and announces it', async () => {
    button('Move Track c up').click();
    await settle();
    expect(order()).toEqual(['a', 'c', 'b']); // at once
    const req = backend.expectOne('/v1/playlists/p1/order');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({ trackIds: ['a', 'c', 'b'] });
    req.flush(playlist(['a', 'c', 'b']));
    await settle();
    expect(el.querySelector('[role="status"]')!.textContent).toBe('“Track c” is now number 2 of 3.');
  });

  it('puts the old order back when saving fails', async () => {
    button('Move Track a down').click();
    await settle();
    expect(order()).toEqual(['b', 'a', 'c']);
    backend.expectOne('/v1/playlists/p1/order').flush({ statusCode: 409, code: 'conflict', message: 'The playlist changed.' }, { status: 409, statusText: 'Conflict' });
    await settle();
    expect(order()).toEqual(['a', 'b', 'c']);
  });

  it('reorders by drag and drop', async () => {
    const items = el.querySelectorAll('[data-testid="playlist-tracks"] > li');
    const drag = (target: Element, type: string) => target.dispatchEvent(Object.assign(new Event(type, { bubbles: true, cancelable: true }), { dataTransfer: { setData: () => undefined, effectAllowed: '', dropEffect: '' } }));
    drag(items[0], 'dragstart');
    drag(items[2], 'dragover');
    drag(items[2], 'drop');
    await settle();
    expect(order()).toEqual(['b', 'c', 'a']);
    backend.expectOne('/v1/playlists/p1/order').flush(playlist(['b', 'c', 'a']));
  });

  it('plays all in the global player, which follows a reorder', async () => {
    el.querySelector<HTMLButtonElement>('#play-all')!.click();
    const player = TestBed.inject(Player);
    expect(player.queue().map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(player.context()).toMatchObject({ kind: 'playlist', key: 'p1', label: 'Focus' });
    button('Move Track c up').click();
    await settle();
    expect(player.queue().map((t) => t.id)).toEqual(['a', 'c', 'b']);
    backend.expectOne('/v1/playlists/p1/order').flush(playlist(['a', 'c', 'b']));
  });

  it('removes a track', async () => {
    button('Remove Track b from the playlist').click();
    const req = backend.expectOne('/v1/playlists/p1/tracks/b');
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(order()).toEqual(['a', 'c']);
    expect(el.querySelector('.meta')!.textContent).toContain('2 tracks');
  });

  it('shares a link to the public playlist page, allowing downloads when the box is ticked', async () => {
    Object.assign(navigator, { clipboard: { writeText: jest.fn().mockResolvedValue(undefined) } });
    const create = () => [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.includes('Create link'))!.click();
    create();
    const req = backend.expectOne('/v1/playlists/p1/share');
    expect(req.request.body).toEqual({ expiresInHours: 168, allowDownload: false });
    req.flush({ id: 's1', playlist_id: 'p1', url: '/v1/shared-playlists/tok123', allow_download: false, expires_at: '2026-02-01T00:00:00.000Z', created_at: '' });
    await settle();
    expect(el.querySelector<HTMLInputElement>('.shares input')!.value).toBe(`${location.origin}/p/tok123`);
    expect(navigator.clipboard.writeText).toHaveBeenCalledWith(`${location.origin}/p/tok123`);
    expect(el.querySelector('.shares')!.textContent).not.toContain('download allowed');

    const box = el.querySelector<HTMLInputElement>('[data-testid="share-allow-download"]')!;
    box.checked = true;
    box.dispatchEvent(new Event('change'));
    create();
    const allowed = backend.expectOne('/v1/playlists/p1/share');
    expect(allowed.request.body).toEqual({ expiresInHours: 168, allowDownload: true });
    allowed.flush({ id: 's2', playlist_id: 'p1', url: '/v1/shared-playlists/tok456', allow_download: true, expires_at: '2026-02-01T00:00:00.000Z', created_at: '' });
    await settle();
    expect(el.querySelector('.shares li')!.textContent).toContain('download allowed');
  });
});
