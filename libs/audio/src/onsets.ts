/**
 * Onset-strength envelopes ("energy novelty"): the signal is split into three bands
 * (low < 150 Hz: kick and bass; mid 150 Hz – 3 kHz: snare body, chords; high
 * > 5 kHz: hats, cymbals, transients), each band's energy is taken per 5 ms frame,
 * log-compressed, differentiated and half-wave rectified. Rises in energy are onsets.
 */
import { biquadFilter, decimate, highPassCoefficients, lowPassCoefficients, mixToMono } from './signal';

/** Mean-square energy per 5 ms frame of each band and of the whole signal. */
export interface BandEnergies {
  /** frames per second */
  frameRate: number;
  low: Float32Array;
  mid: Float32Array;
  high: Float32Array;
  full: Float32Array;
}

const FRAME_SECONDS = 0.005;
/** energies below this (≈ −90 dBFS) are treated as silence by the log compression */
const ENERGY_FLOOR = 1e-9;

export function bandEnergies(channels: readonly Float32Array[], sampleRate: number): BandEnergies {
  const mono = mixToMono(channels);
  // 16 kHz keeps the band above 5 kHz while quartering the work at 44.1/48 kHz.
  const { signal, sampleRate: rate } = decimate(mono, sampleRate, 16000);
  const hop = Math.max(1, Math.round(rate * FRAME_SECONDS));
  const frameRate = rate / hop;
  const low = biquadFilter(signal, lowPassCoefficients(rate, 150));
  const lowMidCut = biquadFilter(signal, highPassCoefficients(rate, 150));
  const mid = biquadFilter(lowMidCut, lowPassCoefficients(rate, 3000));
  const high = biquadFilter(signal, highPassCoefficients(rate, Math.min(5000, rate * 0.4)));
  const frames = Math.floor(signal.length / hop);
  const energies = [low, mid, high, signal].map((band) => {
    const e = new Float32Array(frames);
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let i = f * hop; i < (f + 1) * hop; i++) sum += band[i] * band[i];
      e[f] = sum / hop;
    }
    return e;
  });
  return { frameRate, low: energies[0], mid: energies[1], high: energies[2], full: energies[3] };
}

/**
 * Half-wave rectified first difference of μ-law compressed energy,
 * log10(1 + contrast · E / mean E): logarithmic for events well above
 * mean / contrast (so loud and soft hits of the same drum count alike) but linear
 * below it, so quiet ornaments (hats under a kick, reverb flutter) count for little.
 */
export function compressedRise(energy: Float32Array, contrast: number): Float32Array {
  let mean = 0;
  for (let i = 0; i < energy.length; i++) mean += energy[i];
  mean = mean / (energy.length || 1) + ENERGY_FLOOR;
  const scale = contrast / mean;
  const out = new Float32Array(energy.length);
  let previous = 0;
  for (let i = 0; i < energy.length; i++) {
    const level = Math.log10(1 + scale * energy[i]);
    out[i] = level > previous ? level - previous : 0;
    previous = level;
  }
  return out;
}

/** Relative weights of the bands' novelty in an onset envelope, and the μ-law contrast. */
export interface BandWeights {
  low: number;
  mid: number;
  high: number;
  contrast: number;
}

/**
 * The default weighting counts kick and snare fully and hats at a third: hats
 * subdivide the beat and would otherwise pull tempo estimates an octave up.
 */
export const DEFAULT_ONSET_WEIGHTS: BandWeights = { low: 1, mid: 0.8, high: 0.33, contrast: 10 };

/** One onset-strength envelope: the bands' novelty, weighted and summed. */
export function onsetEnvelope(
  channels: readonly Float32Array[],
  sampleRate: number,
  weights: BandWeights = DEFAULT_ONSET_WEIGHTS,
): { envelope: Float32Array; frameRate: number } {
  return weightedEnvelope(bandEnergies(channels, sampleRate), weights);
}

export function weightedEnvelope(bands: BandEnergies, weights: BandWeights): { envelope: Float32Array; frameRate: number } {
  const envelope = new Float32Array(bands.low.length);
  for (const band of ['low', 'mid', 'high'] as const) {
    if (weights[band] === 0) continue;
    const rise = compressedRise(bands[band], weights.contrast);
    for (let i = 0; i < envelope.length; i++) envelope[i] += weights[band] * rise[i];
  }
  return { envelope, frameRate: bands.frameRate };
}

/**
 * Percussive onsets per second: frames where the > 5 kHz band jumps by at least
 * 9 dB and carries a meaningful share (≥ 1 %) of the frame's energy. Pitched
 * instruments rarely put 1 % of their energy above 5 kHz; hats, snares and claps do.
 */
export function percussiveOnsetRate(channels: readonly Float32Array[], sampleRate: number): number {
  const energies = bandEnergies(channels, sampleRate);
  const { frameRate, full: fullEnergy, high: highEnergy } = energies;
  const high = compressedRise(highEnergy, 10);
  let onsets = 0;
  let refractory = 0;
  for (let i = 0; i < high.length; i++) {
    if (refractory > 0) refractory--;
    else if (high[i] >= 0.5 && highEnergy[i] >= 0.01 * fullEnergy[i] && fullEnergy[i] > ENERGY_FLOOR * 100) {
      onsets++;
      refractory = Math.round(frameRate * 0.04);
    }
  }
  return onsets / (high.length / frameRate || 1);
}
