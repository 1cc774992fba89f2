import { TestBed } from '@angular/core/testing';
import type { SharedPlaylistResponse, SharedPlaylistTrack } from '@texttune/contracts';
import { createPage, settled } from '../../../testing';
import { Player } from '../../core/player';
import { SharedPlaylistPage } from './shared-playlist';

const item = (id: string, overrides: Partial<SharedPlaylistTrack> = {}): SharedPlaylistTrack => ({
  id,
  title: `Track ${id}`,
  prompt_raw: 'calm piano',
  duration: 8,
  audio_url: `/v1/shared-playlists/tok/tracks/${id}/stream`,
  peaks_url: null,
  loudness: null,
  download_url: null,
  ...overrides,
});
const playlist = (tracks: SharedPlaylistTrack[]): SharedPlaylistResponse => ({ title: 'Kept', tracks, expires_at: '2026-12-08T00:00:00.000Z' });

describe('a shared playlist page', () => {
  async function open(response: SharedPlaylistResponse) {
    const page = createPage(SharedPlaylistPage, { token: 'tok' });
    page.fixture.detectChanges();
    page.backend.expectOne('/v1/shared-playlists/tok').flush(response);
    await settled(page.fixture);
    return page;
  }

  it('offers each track as a download only when the owner allowed it', async () => {
    const plain = await open(playlist([item('a'), item('b')]));
    expect(plain.el.querySelectorAll('[data-testid="shared-download"]')).toHaveLength(0);
    TestBed.resetTestingModule();
    const allowed = await open(playlist([item('a', { download_url: '/v1/shared-playlists/tok/tracks/a/download' }), item('b', { download_url: '/v1/shared-playlists/tok/tracks/b/download' })]));
    const links = [...allowed.el.querySelectorAll<HTMLAnchorElement>('[data-testid="shared-download"]')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/v1/shared-playlists/tok/tracks/a/download', '/v1/shared-playlists/tok/tracks/b/download']);
    expect(links.every((a) => a.hasAttribute('download'))).toBe(true);
    expect(links[0].getAttribute('aria-label')).toBe('Download Track a');
  });

  it('marks loop tracks and repeats one gaplessly under repeat-one', async () => {
    const { el } = await open(playlist([item('a'), item('b', { loop: true })]));
    const rows = [...el.querySelectorAll('[data-testid="shared-playlist-tracks"] > li')];
    expect(rows.map((row) => !!row.querySelector('[data-testid="loop-badge"]'))).toEqual([false, true]);
    const player = TestBed.inject(Player);
    rows[1].querySelector<HTMLButtonElement>('tt-inline-player .play')!.click();
    TestBed.tick();
    expect(player.current()?.loop).toBe(true);
    expect(player.media.loop).toBe(false); // a playlist goes on to the next track
    player.cycleRepeat();
    player.cycleRepeat();
    TestBed.tick();
    expect(player.media.loop).toBe(true);
  });
});
