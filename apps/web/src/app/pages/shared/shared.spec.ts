import { TestBed } from '@angular/core/testing';
import type { SharedTrackResponse } from '@texttune/contracts';
import { createPage, settled, track } from '../../../testing';
import { Player } from '../../core/player';
import { TrackPage } from '../track/track';
import { SharedPage } from './shared';

const shared = (overrides: Partial<SharedTrackResponse> = {}): SharedTrackResponse => ({
  title: 'Calm piano',
  prompt_raw: 'calm piano',
  prompt_expanded: null,
  duration: 8,
  samplerate: 44100,
  format: 'wav',
  created_at: '2026-12-01T00:00:00.000Z',
  audio_url: '/v1/shared/tok/stream',
  peaks: null,
  loudness: null,
  expires_at: '2026-12-08T00:00:00.000Z',
  download_url: null,
  ...overrides,
});

describe('a shared track page', () => {
  async function open(response: SharedTrackResponse) {
    const page = createPage(SharedPage, { token: 'tok' });
    page.fixture.detectChanges();
    page.backend.expectOne('/v1/shared/tok').flush(response);
    await settled(page.fixture);
    return page;
  }

  it('offers a download only when the owner allowed it', async () => {
    const plain = await open(shared());
    expect(plain.el.querySelector('[data-testid="shared-download"]')).toBeNull();
    TestBed.resetTestingModule();
    const allowed = await open(shared({ download_url: '/v1/shared/tok/download' }));
    const link = allowed.el.querySelector<HTMLAnchorElement>('[data-testid="shared-download"]')!;
    expect(link.getAttribute('href')).toBe('/v1/shared/tok/download');
    expect(link.hasAttribute('download')).toBe(true);
    expect(link.textContent!.trim()).toBe('Download');
  });

  it('shows a Loop badge on a loop, and repeats it seamlessly as the only track', async () => {
    const { el } = await open(shared({ loop: true }));
    expect(el.querySelector('[data-testid="loop-badge"]')!.textContent).toBe('Loop');
    el.querySelector<HTMLButtonElement>('tt-waveform-player .play')!.click();
    TestBed.tick();
    expect(TestBed.inject(Player).media.loop).toBe(true);
  });
});

describe('the share dialog of a track', () => {
  it('creates a link that allows downloads when the box is ticked', async () => {
    const { fixture, backend, el } = createPage(TrackPage, { id: 't1' });
    fixture.detectChanges();
    backend.expectOne('/v1/tracks/t1').flush(track());
    await settled(fixture);
    backend.expectOne('/v1/tracks/t1/shares').flush({ items: [] });
    await settled(fixture);
    const box = el.querySelector<HTMLInputElement>('[data-testid="share-allow-download"]')!;
    expect(box.checked).toBe(false);
    box.checked = true;
    box.dispatchEvent(new Event('change'));
    [...el.querySelectorAll<HTMLButtonElement>('tt-share-links button')].find((b) => b.textContent!.includes('Create link'))!.click();
    const req = backend.expectOne('/v1/tracks/t1/share');
    expect(req.request.body).toEqual({ expiresInHours: expect.any(Number), allowDownload: true });
    req.flush({ id: 's1', track_id: 't1', url: '/v1/shared/tok', audio_url: '/v1/shared/tok/stream', allow_download: true, expires_at: '2026-12-08T00:00:00.000Z', created_at: '2026-12-01T00:00:00.000Z' });
    await settled(fixture);
    expect(el.querySelector('tt-share-links .shares')!.textContent).toContain('download allowed');
    backend.verify();
  });
});
