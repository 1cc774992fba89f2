import { TestBed } from '@angular/core/testing';
import type { TrackLoudness } from '@texttune/contracts';
import { PLAYBACK_SETTINGS_KEY, PlaybackSettings, normalizationGainDb, playbackGain } from './loudness';

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

  it('as a volume factor: attenuates loud tracks, and plays quiet ones at unity (volume cannot boost)', () => {
    expect(db(playbackGain(measured(-8, -0.3)))).toBeCloseTo(-6, 6);
    expect(db(playbackGain(measured(-10.5, -1)))).toBeCloseTo(-3.5, 6);
    expect(playbackGain(measured(-20, -9))).toBe(1);
    expect(playbackGain(measured(-14, -1))).toBeCloseTo(1, 10);
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
