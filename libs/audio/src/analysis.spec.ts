import { estimateKey, relativeKey } from './key';
import { percussiveOnsetRate } from './onsets';
import { computePeaks } from './peaks';
import { spectralStats } from './spectral';
import { estimateTempo } from './tempo';

const RATE = 22050;

/** A drum-machine pattern: kick (with beater click) on 1 and 3, snare on 2 and 4, softer hats on 8ths. */
function drumTrack(bpm: number, seconds: number, rate = RATE): Float32Array {
  const out = new Float32Array(Math.round(seconds * rate));
  let noise = 1;
  const rand = () => {
    noise ^= noise << 13;
    noise ^= noise >>> 17;
    noise ^= noise << 5;
    return (noise >>> 0) / 4294967296 - 0.5;
  };
  const beat = 60 / bpm;
  for (let eighth = 0; eighth * beat * 0.5 < seconds; eighth++) {
    const start = Math.round(eighth * beat * 0.5 * rate);
    const beatIndex = eighth / 2;
    const isBeat = eighth % 2 === 0;
    const isSnare = isBeat && beatIndex % 2 === 1;
    for (let i = 0; i < rate * 0.2 && start + i < out.length; i++) {
      const t = i / rate;
      let v = 0.15 * rand() * Math.exp(-t / 0.01); // hat
      if (isBeat && !isSnare) {
        v += 0.9 * Math.sin(2 * Math.PI * (50 * t + 60 * 0.03 * (1 - Math.exp(-t / 0.03)))) * Math.exp(-t / 0.12);
        v += 0.5 * rand() * Math.exp(-t / 0.004); // beater click
      }
      if (isSnare) v += 0.6 * rand() * Math.exp(-t / 0.05) + 0.5 * Math.sin(2 * Math.PI * 190 * t) * Math.exp(-t / 0.06);
      out[start + i] += v;
    }
  }
  return out;
}

function chordTones(midis: number[][], secondsPerChord: number, rate = RATE): Float32Array {
  const out = new Float32Array(Math.round(midis.length * secondsPerChord * rate));
  midis.forEach((chord, c) => {
    const start = Math.round(c * secondsPerChord * rate);
    for (const midi of chord) {
      const hz = 440 * Math.pow(2, (midi - 69) / 12);
      for (let i = 0; i < secondsPerChord * rate; i++) {
        const t = i / rate;
        out[start + i] += 0.1 * (Math.sin(2 * Math.PI * hz * t) + 0.4 * Math.sin(4 * Math.PI * hz * t)) * Math.exp(-t);
      }
    }
  });
  return out;
}

describe('tempo estimation', () => {
  it.each([62, 70, 85, 96, 124, 140, 174, 195])('finds %i bpm in a kick/snare/hat pattern without octave errors', (bpm) => {
    const track = drumTrack(bpm, 10);
    expect(Math.abs(estimateTempo([track, track], RATE).bpm - bpm)).toBeLessThanOrEqual(1);
  });
});

describe('key estimation', () => {
  it('finds E minor from an i–iv–V–i progression', () => {
    // Em, Am, B, Em
    const key = estimateKey([chordTones([[52, 55, 59, 64], [57, 60, 64, 69], [59, 63, 66, 71], [52, 55, 59, 64]], 2)], RATE);
    expect([key.name, key.mode]).toEqual(['E minor', 'minor']);
  });

  it('finds D major from I–IV–V–I', () => {
    const key = estimateKey([chordTones([[50, 54, 57, 62], [55, 59, 62, 67], [57, 61, 64, 69], [50, 54, 57, 62]], 2)], RATE);
    expect(key.name).toBe('D major');
  });

  it('names relative keys', () => {
    expect(relativeKey(9, 'minor')).toEqual({ tonic: 0, mode: 'major' });
    expect(relativeKey(0, 'major')).toEqual({ tonic: 9, mode: 'minor' });
  });
});

describe('spectral statistics and percussive onsets', () => {
  it('puts the centroid of a pure tone at its frequency', () => {
    const tone = Float32Array.from({ length: RATE * 2 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / RATE));
    const stats = spectralStats([tone], RATE);
    expect(Math.abs(stats.centroidHz - 1000)).toBeLessThan(30);
    expect(stats.lowBandRatio).toBeLessThan(0.01);
    expect(stats.rms).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it('counts drum hits as percussive onsets and sustained chords as none', () => {
    const drums = drumTrack(120, 6);
    const chords = chordTones([[60, 64, 67], [65, 69, 72], [67, 71, 74]], 2);
    expect(percussiveOnsetRate([drums], RATE)).toBeGreaterThan(2);
    expect(percussiveOnsetRate([chords], RATE)).toBeLessThan(0.5);
  });
});

describe('computePeaks', () => {
  it('returns count min/max pairs over all channels', () => {
    const left = Float32Array.from({ length: 1000 }, (_, i) => (i % 100) / 100);
    const right = Float32Array.from({ length: 1000 }, (_, i) => -((i % 50) / 50));
    const peaks = computePeaks([left, right], 10);
    expect(peaks).toHaveLength(10);
    expect(peaks[0].max).toBeCloseTo(0.99, 5);
    expect(peaks[0].min).toBeCloseTo(-0.98, 5);
    expect(computePeaks([left]).length).toBe(800);
  });

  it('answers zeros for slices past a short signal and rejects a bad count', () => {
    expect(computePeaks([new Float32Array(2)], 4).filter((p) => p.min === 0 && p.max === 0)).toHaveLength(4);
    expect(() => computePeaks([new Float32Array(2)], 0)).toThrow(RangeError);
  });
});
