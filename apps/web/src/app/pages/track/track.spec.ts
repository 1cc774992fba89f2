import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { createPage, settled, track } from '../../../testing';
import { Player } from '../../core/player';
import { TrackPage, downloadLinks, parameterRows, promptLanguage, withoutEnglishNote } from './track';

describe('track page helpers', () => {
  it('links each download format, from the renditions or the download URL', () => {
    expect(downloadLinks(track())).toEqual([
      { format: 'wav', url: '/v1/download/t1?format=wav', size: 882044 },
      { format: 'mp3', url: '/v1/download/t1?format=mp3', size: null },
    ]);
    expect(downloadLinks(track({ renditions: [] })).map((d) => d.url)).toEqual(['/v1/download/t1?format=wav', '/v1/download/t1?format=mp3']);
  });

  it('adds the MIDI and stems downloads the server offers', () => {
    const renditions = [
      ...track().renditions,
      { format: 'midi' as const, mime_type: 'audio/midi', size: 4041, url: '/v1/download/t1?format=midi', download_url: '/v1/download/t1?format=midi' },
      { format: 'stems' as const, mime_type: 'application/zip', size: null, url: '/v1/download/t1?format=stems', download_url: '/v1/download/t1?format=stems' },
    ];
    expect(downloadLinks(track({ renditions })).slice(2)).toEqual([
      { format: 'midi', url: '/v1/download/t1?format=midi', size: 4041 },
      { format: 'stems', url: '/v1/download/t1?format=stems', size: null },
    ]);
  });

  it('lists the recorded parameters', () => {
    const rows = parameterRows(track({ params: { seed: 7, quality: 'high', variations: 2, sampling: { topK: 250 } }, take_index: 1 }));
    expect(Object.fromEntries(rows.map((r) => [r.key, r.value]))).toEqual({
      seed: '7',
      duration: '5 s',
      quality: 'high',
      samplerate: '44100 Hz',
      channels: '2',
      format: 'WAV',
      engine: 'offline',
      variations: '2',
      take: '2',
      'sampling.topK': '250',
    });
  });
});

describe('the English prompt an English-only engine received', () => {
  const meta = { prompt_language: { original: '잔잔한 재즈 피아노, 비 오는 날', english: 'calm jazz piano, rainy day', language: 'ko', method: 'glossary', unknown_words: ['듣기'] } };

  it('reads engine_meta.prompt_language', () => {
    expect(promptLanguage(track({ engine_meta: meta }))).toEqual({ original: '잔잔한 재즈 피아노, 비 오는 날', english: 'calm jazz piano, rainy day', language: 'ko', method: 'glossary', unknown_words: ['듣기'] });
    expect(promptLanguage(track())).toBeNull();
  });

  it('takes the note the server appends off the interpreted prompt (it has its own row)', () => {
    const english = promptLanguage(track({ engine_meta: meta }));
    expect(withoutEnglishNote('jazz · 80 bpm · English: calm jazz piano, rainy day (music glossary)', english)).toBe('jazz · 80 bpm');
    expect(withoutEnglishNote('English: calm jazz piano, rainy day (music glossary)', english)).toBeNull();
    expect(withoutEnglishNote('jazz · 80 bpm', null)).toBe('jazz · 80 bpm');
  });
});

describe('TrackPage', () => {
  let fixture: ComponentFixture<TrackPage>;
  let backend: HttpTestingController;
  let el: HTMLElement;
  const settle = () => settled(fixture);

  beforeEach(async () => {
    ({ fixture, backend, el } = createPage(TrackPage, { id: 't1' }));
    fixture.detectChanges();
    backend.expectOne('/v1/tracks/t1').flush(track({ sibling_ids: ['t1', 't2'] }));
    await settle();
    backend.expectOne('/v1/tracks/t2').flush(track({ id: 't2', take_index: 1, params: { seed: 8 }, audio_url: '/v1/stream/t2' }));
    backend.expectOne('/v1/tracks/t1/shares').flush({ items: [] });
    await settle();
  });
  afterEach(() => backend.verify());

  it('shows the track, its player, downloads, prompt and both takes', () => {
    expect(el.querySelector('h1')!.textContent).toBe('Calm piano');
    expect(el.querySelector('tt-waveform-player audio')).toBeNull(); // one audio element: the global player's
    expect([...el.querySelectorAll('a[download]')].map((a) => a.getAttribute('href'))).toEqual(['/v1/download/t1?format=wav', '/v1/download/t1?format=mp3']);
    expect(el.textContent).toContain('lo-fi · 80 bpm · piano · calm');
    expect([...el.querySelectorAll('.take')].map((t) => t.querySelector('a')!.textContent)).toEqual(['Take 1', 'Take 2']);
    expect(el.querySelector('.take.current a')!.textContent).toBe('Take 1');
  });

  it('plays through the global player, queueing the takes from this one', async () => {
    el.querySelector<HTMLButtonElement>('tt-waveform-player .play')!.click();
    const player = TestBed.inject(Player);
    expect(player.current()?.id).toBe('t1');
    expect(player.queue().map((t) => t.id)).toEqual(['t1', 't2']);
    expect(player.context()).toMatchObject({ kind: 'track', key: 't1', label: 'Calm piano' });
    expect(player.media.getAttribute('src')).toBe('/v1/stream/t1');
    // The second take's inline player plays the same queue from there.
    el.querySelectorAll<HTMLButtonElement>('.take tt-inline-player .play')[1].click();
    expect(player.current()?.id).toBe('t2');
  });

  it('adds the track to a playlist', async () => {
    [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.includes('Add to playlist'))!.click();
    backend.expectOne('/v1/playlists').flush({ items: [{ id: 'p1', title: 'Focus', track_count: 1, duration: 5, created_at: '', updated_at: '' }] });
    await settle();
    el.querySelector<HTMLButtonElement>('[data-testid="add-to-playlist"] .choice')!.click();
    const req = backend.expectOne('/v1/playlists/p1/tracks');
    expect(req.request.body).toEqual({ trackId: 't1' });
    req.flush({ statusCode: 409, code: 'conflict', message: 'This track is already in the playlist.' }, { status: 409, statusText: 'Conflict' });
    await settle();
    expect(el.querySelector('[data-testid="add-to-playlist"] .field-error')!.textContent).toContain('“Calm piano” is already in Focus.');
  });

  it('renames inline', async () => {
    [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.includes('Rename'))!.click();
    await settle();
    const input = el.querySelector<HTMLInputElement>('#title-input')!;
    input.value = 'Evening piano';
    input.dispatchEvent(new Event('input'));
    el.querySelector<HTMLFormElement>('form.rename')!.dispatchEvent(new Event('submit'));
    const req = backend.expectOne('/v1/tracks/t1');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ title: 'Evening piano' });
    req.flush(track({ title: 'Evening piano' }));
    await settle();
    expect(el.querySelector('h1')!.textContent).toBe('Evening piano');
  });

  it('regenerates with the same seed and follows the new job', async () => {
    [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.includes('same seed'))!.click();
    const req = backend.expectOne('/v1/tracks/t1/regenerate');
    expect(req.request.body).toEqual({ seed: 'same' });
  });
});

describe('TrackPage with a translated prompt', () => {
  it('shows what the engine received in English in its own labelled row', async () => {
    const { fixture, backend } = createPage(TrackPage, { id: 't1' });
    fixture.detectChanges();
    backend.expectOne('/v1/tracks/t1').flush(
      track({
        prompt_expanded: 'jazz · 80 bpm · English: calm jazz piano, rainy day (music glossary)',
        engine_meta: { prompt_language: { original: '잔잔한 재즈 피아노, 비 오는 날', english: 'calm jazz piano, rainy day', language: 'ko', method: 'glossary', unknown_words: [] } },
      }),
    );
    await fixture.whenStable();
    fixture.detectChanges();
    backend.expectOne('/v1/tracks/t1/shares').flush({ items: [] });
    const el: HTMLElement = fixture.nativeElement;
    const row = el.querySelector('[data-testid="english-prompt"]')!;
    expect(row.previousElementSibling!.textContent).toBe('Sent to the engine in English');
    expect(row.textContent!.replace(/\s+/g, ' ').trim()).toBe('calm jazz piano, rainy day (music glossary)');
    expect(row.getAttribute('lang')).toBe('en');
    expect(el.querySelector('.expanded')!.textContent).toBe('jazz · 80 bpm');
    backend.verify();
  });
});

describe('TrackPage with a measured loud track', () => {
  it('plays it levelled to −14 LUFS through the global player; its downloads stay the stored files', async () => {
    localStorage.clear();
    const { fixture, backend, el } = createPage(TrackPage, { id: 't1' });
    fixture.detectChanges();
    backend.expectOne('/v1/tracks/t1').flush(track({ loudness: { integrated_lufs: -9, true_peak_dbtp: -0.2, range_lu: 6 } }));
    await settled(fixture);
    backend.expectOne('/v1/tracks/t1/shares').flush({ items: [] });
    await settled(fixture);
    el.querySelector<HTMLButtonElement>('tt-waveform-player .play')!.click();
    const player = TestBed.inject(Player);
    expect(player.current()?.loudness).toEqual({ integrated_lufs: -9, true_peak_dbtp: -0.2, range_lu: 6 });
    expect(20 * Math.log10(player.media.volume)).toBeCloseTo(-5, 6);
    expect([...el.querySelectorAll('a[download]')].map((a) => a.getAttribute('href'))).toEqual(['/v1/download/t1?format=wav', '/v1/download/t1?format=mp3']);
    backend.verify();
  });
});
