/**
 * Key estimation: a chromagram (spectral energy folded onto the 12 pitch classes)
 * correlated with the Krumhansl–Kessler key profiles rotated to all 24 keys.
 */
import { RealFft } from './fft';
import { decimate, mixToMono } from './signal';

export const PITCH_CLASS_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;

/** Krumhansl & Kessler (1982) probe-tone ratings, tonic first. */
const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

export interface KeyEstimate {
  /** pitch class of the tonic, 0 = C */
  tonic: number;
  mode: 'major' | 'minor';
  /** e.g. "A minor" */
  name: string;
  /** Pearson correlation of the chroma with the winning profile */
  correlation: number;
}

/** Energy per pitch class (C..B) over the whole signal, normalised to sum 1. */
export function chroma(channels: readonly Float32Array[], sampleRate: number): Float64Array {
  const { signal, sampleRate: rate } = decimate(mixToMono(channels), sampleRate, 8000);
  const fft = new RealFft(rate > 12000 ? 8192 : 4096);
  const bins = fft.size / 2 + 1;
  const spectrum = new Float32Array(bins);
  // Pitch class of each bin between 55 Hz (A1) and 2 kHz; −1 outside.
  const pitchClass = new Int8Array(bins).fill(-1);
  for (let k = 1; k < bins; k++) {
    const hz = (k * rate) / fft.size;
    if (hz >= 55 && hz <= 2000) pitchClass[k] = ((Math.round(12 * Math.log2(hz / 440)) % 12) + 12 + 9) % 12;
  }
  const result = new Float64Array(12);
  const frame = new Float64Array(12);
  for (let start = 0; start + fft.size / 2 <= signal.length; start += fft.size / 2) {
    fft.powerSpectrum(signal, start, spectrum);
    frame.fill(0);
    let total = 0;
    for (let k = 1; k < bins; k++) {
      const pc = pitchClass[k];
      if (pc < 0) continue;
      const magnitude = Math.sqrt(spectrum[k]);
      frame[pc] += magnitude;
      total += magnitude;
    }
    // Each frame votes with its shape, so loud passages do not outvote the rest.
    if (total > 1e-6) for (let pc = 0; pc < 12; pc++) result[pc] += frame[pc] / total;
  }
  const sum = result.reduce((s, v) => s + v, 0);
  if (sum > 0) for (let pc = 0; pc < 12; pc++) result[pc] /= sum;
  return result;
}

export function estimateKey(channels: readonly Float32Array[], sampleRate: number): KeyEstimate {
  const profile = chroma(channels, sampleRate);
  let best: KeyEstimate = { tonic: 0, mode: 'major', name: 'C major', correlation: -Infinity };
  for (const mode of ['major', 'minor'] as const) {
    const template = mode === 'major' ? MAJOR_PROFILE : MINOR_PROFILE;
    for (let tonic = 0; tonic < 12; tonic++) {
      const rotated = Array.from({ length: 12 }, (_, pc) => template[(pc - tonic + 12) % 12]);
      const correlation = pearson(profile, rotated);
      if (correlation > best.correlation) best = { tonic, mode, name: `${PITCH_CLASS_NAMES[tonic]} ${mode}`, correlation };
    }
  }
  return best;
}

/** The relative key: A minor ↔ C major. */
export function relativeKey(tonic: number, mode: 'major' | 'minor'): { tonic: number; mode: 'major' | 'minor' } {
  return mode === 'minor' ? { tonic: (tonic + 3) % 12, mode: 'major' } : { tonic: (tonic + 9) % 12, mode: 'minor' };
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) ** 2;
    vb += (b[i] - mb) ** 2;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}
