import { TestBed } from '@angular/core/testing';
import type { TrackLoudness } from '@texttune/contracts';
import { MediaBoost, PLAYBACK_SETTINGS_KEY, PlaybackSettings, normalizationGainDb, playbackGain, splitGain } from './loudness';

const measured = (integrated_lufs: number, true_peak_dbtp: number): TrackLoudness => ({ integrated_lufs, true_peak_dbtp, range_lu: 5 });
const db = (linear: number) => 20 * Math.log10(linear);

describe('loudness normalization gain', () => {
  it('brings a track to −14 LUFS: −14 − integrated dB', () => {
    expect(normalizationGainDb(measured(-8, -0.3))).toBeCloseTo(-6, 10);
    expect(normalizationGainDb(measured(-14, -1))).toBeCloseTo(0, 10);
    expect(normalizationGainDb(measured(-20, -9))).toBeCloseTo(6, 10);
  });

  it('never lifts the true peak past 0 dBTP', () => {
    // wants +6 dB, but only 2 dB of headroom
    expect(normalizationGainDb(measured(-20, -2))).toBeCloseTo(2, 10);
    // a track already over 0 dBTP is turned down by its overshoot even when quiet
    expect(normalizationGainDb(measured(-16, 0.7))).toBeCloseTo(-0.7, 10);
  });

  it('is unity for a track whose loudness is unknown', () => {
    expect(normalizationGainDb(null)).toBe(0);
    expect(normalizationGainDb(undefined)).toBe(0);
    expect(playbackGain(null)).toBe(1);
  });

  it('as a factor: turns loud tracks down and lifts quiet ones, the boost capped at 0 dBTP', () => {
    expect(db(playbackGain(measured(-8, -0.3)))).toBeCloseTo(-6, 6);
    expect(db(playbackGain(measured(-10.5, -1)))).toBeCloseTo(-3.5, 6);
    expect(db(playbackGain(measured(-20, -9)))).toBeCloseTo(6, 6);
    // −20 LUFS wants +6 dB; its true peak of −2.5 dBTP allows 2.5
    expect(db(playbackGain(measured(-20, -2.5)))).toBeCloseTo(2.5, 6);
    expect(playbackGain(measured(-14, -1))).toBeCloseTo(1, 10);
  });

  it('splits a gain into the element volume’s attenuation and the Web Audio boost', () => {
    expect(splitGain(0.5)).toEqual({ attenuation: 0.5, boost: 1 });
    expect(splitGain(2)).toEqual({ attenuation: 1, boost: 2 });
    expect(splitGain(1)).toEqual({ attenuation: 1, boost: 1 });
  });
});

/** A stand-in for the browser's Web Audio and fetch: records the graph and the gains set. */
function fakeBrowser(probe: () => Promise<Partial<Response>>) {
  const targets: number[] = [];
  const connections: string[] = [];
  const contexts: { state: string; resume: jest.Mock }[] = [];
  class FakeContext {
    state = 'suspended';
    currentTime = 0;
    destination = { name: 'destination' };
    resume = jest.fn(async () => {
      this.state = 'running';
    });
    constructor() {
      contexts.push(this);
    }
    createMediaElementSource() {
      return { connect: (node: { name: string }) => connections.push(`source→${node.name}`) };
    }
    createGain() {
      return { name: 'gain', gain: { setTargetAtTime: (value: number) => targets.push(value) }, connect: (node: { name: string }) => connections.push(`gain→${node.name}`) };
    }
  }
  const fetch = jest.fn(probe);
  const win = { AudioContext: FakeContext, fetch, document: { baseURI: 'https://tt.example/library' }, location: { origin: 'https://tt.example' } } as unknown as Window & typeof globalThis;
  return { win, fetch, targets, connections, contexts };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('MediaBoost', () => {
  const media = () => document.createElement('audio');

  it('routes the element through a GainNode once a track needs a boost and the stream is this origin’s, and resumes it on play', async () => {
    const browser = fakeBrowser(async () => ({ type: 'basic', ok: true, body: null }));
    const boost = new MediaBoost(media(), browser.win);
    boost.set(1, '/v1/stream/a');
    await flush();
    expect(browser.contexts).toHaveLength(0); // no boost wanted: left alone
    boost.set(2, '/v1/stream/b');
    await flush();
    expect(browser.fetch).toHaveBeenCalledWith('https://tt.example/v1/stream/b', expect.objectContaining({ redirect: 'manual', headers: { Range: 'bytes=0-0' } }));
    expect(browser.connections).toEqual(['source→gain', 'gain→destination']);
    expect(browser.targets).toEqual([2]);
    expect(boost.applied()).toBe(2);
    expect(browser.contexts[0].resume).toHaveBeenCalled();
    // the next tracks: set at once, no new probe; unity for one that needs none
    boost.set(1, '/v1/stream/c');
    boost.set(1.5, '/v1/stream/d');
    expect(browser.targets).toEqual([2, 1, 1.5]);
    expect(browser.fetch).toHaveBeenCalledTimes(1);
  });

  it('leaves the element alone (quiet tracks at unity) where streams are redirected to another origin', async () => {
    const browser = fakeBrowser(async () => ({ type: 'opaqueredirect', ok: false, body: null }));
    const boost = new MediaBoost(media(), browser.win);
    boost.set(2, '/v1/stream/a');
    await flush();
    boost.set(2, '/v1/stream/b');
    await flush();
    expect(browser.contexts).toHaveLength(0);
    expect(boost.applied()).toBe(1);
    expect(browser.fetch).toHaveBeenCalledTimes(1); // the answer holds for the page
  });

  it('leaves the element alone for a stream on another origin, without Web Audio, or when the probe fails', async () => {
    const other = fakeBrowser(async () => ({ type: 'basic', ok: true, body: null }));
    new MediaBoost(media(), other.win).set(2, 'https://bucket.example/a.wav');
    const failing = fakeBrowser(async () => {
      throw new TypeError('network');
    });
    const afterFailure = new MediaBoost(media(), failing.win);
    afterFailure.set(2, '/v1/stream/a');
    const bare = fakeBrowser(async () => ({ type: 'basic', ok: true, body: null }));
    new MediaBoost(media(), { ...bare.win, AudioContext: undefined } as unknown as Window & typeof globalThis).set(2, '/v1/stream/a');
    await flush();
    expect(other.fetch).not.toHaveBeenCalled();
    expect([...other.contexts, ...failing.contexts, ...bare.contexts]).toHaveLength(0);
    expect(afterFailure.applied()).toBe(1);
  });
});

describe('PlaybackSettings', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => TestBed.resetTestingModule());

  it('normalizes by default, and remembers being turned off in this browser', () => {
    expect(TestBed.inject(PlaybackSettings).normalizeLoudness()).toBe(true);
    TestBed.inject(PlaybackSettings).setNormalizeLoudness(false);
    expect(JSON.parse(localStorage.getItem(PLAYBACK_SETTINGS_KEY)!)).toEqual({ v: 1, normalizeLoudness: false });
    TestBed.resetTestingModule();
    expect(TestBed.inject(PlaybackSettings).normalizeLoudness()).toBe(false);
  });

  it('reads a damaged entry as the default', () => {
    localStorage.setItem(PLAYBACK_SETTINGS_KEY, '{not json');
    expect(TestBed.inject(PlaybackSettings).normalizeLoudness()).toBe(true);
  });
});
