/**
 * Tempo estimation: onset envelope → autocorrelation → comb filter over 60–200 bpm,
 * then an explicit metrical (octave) decision.
 *
 * The comb (the mean autocorrelation at multiples of the beat period, over a
 * fixed span of lags) finds the right
 * *family* of periods but cannot tell a tempo from its half or double: a signal
 * periodic in P is also periodic in 2P. The octave is decided on a "beat" envelope
 * of percussive onsets — low- and mid-band onsets (kick, snare) weighted by a
 * simultaneous high-band transient, so pitched notes and hats count for little —
 * laid on a beat grid at its strongest phase: if the grid's off-beats are nearly
 * as strong as its beats, the tempo is doubled; if every other beat of the grid
 * is weak, it is halved. Kick/snare alternations then read as beats, off-beat
 * eighths (hats, bass, chords) do not.
 */
import { BandEnergies, bandEnergies, compressedRise, DEFAULT_ONSET_WEIGHTS, weightedEnvelope } from './onsets';

export interface TempoEstimate {
  bpm: number;
  /** normalised autocorrelation at the chosen beat period, 0..1 */
  confidence: number;
}

export interface TempoOptions {
  minBpm?: number;
  maxBpm?: number;
}

/** off-beat/on-beat strength above which the off-beats are beats too */
const OFFBEAT_RATIO = 0.45;
/** μ-law contrast of the beat envelope: near-linear, so quiet onsets stay quiet */
const BEAT_CONTRAST = 1;
/** ± frames within which a high-band transient counts as simultaneous */
const TRANSIENT_TOLERANCE = 2;

export function estimateTempo(channels: readonly Float32Array[], sampleRate: number, options: TempoOptions = {}): TempoEstimate {
  const minBpm = options.minBpm ?? 60;
  const maxBpm = options.maxBpm ?? 200;
  const bands = bandEnergies(channels, sampleRate);
  const { envelope, frameRate } = weightedEnvelope(bands, DEFAULT_ONSET_WEIGHTS);
  const maxLag = Math.min(envelope.length - 1, Math.ceil((8 * 60 * frameRate) / minBpm));
  const acf = autocorrelation(smoothAndCenter(envelope), maxLag);
  if (acf.length < 2 || acf[0] <= 0) return { bpm: 0, confidence: 0 };
  const at = (lag: number): number => interpolate(acf, lag);
  const periodOf = (bpm: number): number => (60 * frameRate) / bpm;
  const comb = (period: number, multiples: number): number => {
    let sum = 0;
    let used = 0;
    for (let k = 1; k <= multiples && k * period < acf.length - 1; k++, used++) sum += at(k * period);
    return used ? sum / used : -Infinity;
  };
  // Onsets may sit up to 10 ms off the grid (humanised playing, slow attacks).
  const jitterFrames = Math.max(1, Math.round(0.01 * frameRate));
  let bestBpm = minBpm;
  let bestScore = -Infinity;
  // Every candidate is scored over the same span of lags (up to four beats of the
  // slowest tempo), so fast tempos cannot win on short lags alone.
  const combSpan = Math.min(maxLag, 4 * periodOf(minBpm));
  for (let bpm = minBpm; bpm <= maxBpm; bpm += 0.1) {
    const score = comb(periodOf(bpm), Math.max(2, Math.floor(combSpan / periodOf(bpm))));
    if (score > bestScore) {
      bestScore = score;
      bestBpm = bpm;
    }
  }

  const beat = percussiveBeatEnvelope(bands);
  const inRange = (bpm: number) => bpm >= minBpm * 0.98 && bpm <= maxBpm * 1.02;
  // Up while the off-beats are as strong as the beats; down while every other beat is weak.
  let chosen = bestBpm;
  while (inRange(chosen * 2) && offBeatRatio(beat, periodOf(chosen), jitterFrames) >= OFFBEAT_RATIO) chosen *= 2;
  while (inRange(chosen / 2) && offBeatRatio(beat, periodOf(chosen / 2), jitterFrames) < OFFBEAT_RATIO) chosen /= 2;
  if (inRange(chosen * 3) && chosen === bestBpm && offBeatRatio(beat, periodOf(chosen), jitterFrames, 3) >= OFFBEAT_RATIO) chosen *= 3;

  // Refine on as many beat multiples as the signal holds, within ±3 %.
  const multiples = Math.max(4, Math.floor(acf.length / periodOf(chosen)) - 1);
  let refinedScore = -Infinity;
  const centre = chosen;
  for (let bpm = centre * 0.97; bpm <= centre * 1.03; bpm += 0.01) {
    const score = comb(periodOf(bpm), multiples);
    if (score > refinedScore) {
      refinedScore = score;
      chosen = bpm;
    }
  }
  return { bpm: Math.round(chosen * 10) / 10, confidence: Math.max(0, Math.min(1, at(periodOf(chosen)))) };
}

/**
 * How strong the onsets between the beats are relative to those on them, for a
 * beat grid of `period` frames placed at its strongest phase: near 1 when the
 * grid is too slow (its off-beats are beats too), well below 1 when it is right
 * (off-beats hold only lighter notes). `divisions` = 3 asks about triplets.
 */
function offBeatRatio(envelope: Float32Array, period: number, jitter: number, divisions = 2): number {
  const strengthAt = (phase: number): number => {
    let sum = 0;
    let count = 0;
    for (let t = phase; t < envelope.length; t += period, count++) {
      const centre = Math.round(t);
      let peak = 0;
      for (let d = -jitter; d <= jitter; d++) peak = Math.max(peak, envelope[centre + d] ?? 0);
      sum += peak;
    }
    return count ? sum / count : 0;
  };
  let bestPhase = 0;
  let onBeat = -1;
  let baseline = 0;
  let phases = 0;
  for (let phase = 0; phase < period; phase += 1, phases++) {
    const strength = strengthAt(phase);
    baseline += strength;
    if (strength > onBeat) {
      onBeat = strength;
      bestPhase = phase;
    }
  }
  // Measured above the average over all phases, so a noise floor (crackle,
  // reverb, busy textures) does not make off-beats look like beats.
  baseline /= phases || 1;
  let offBeat = 0;
  for (let k = 1; k < divisions; k++) offBeat = Math.max(offBeat, strengthAt(bestPhase + (k * period) / divisions));
  return onBeat > baseline ? Math.max(0, offBeat - baseline) / (onBeat - baseline) : 0;
}

/**
 * Low- and mid-band onsets, each band scaled so that its strongest onsets (95th
 * percentile) reach 1 — kick and snare then weigh the same — and each frame
 * scaled by how strong a high-band transient accompanies it (0.1..1).
 */
function percussiveBeatEnvelope(bands: BandEnergies): Float32Array {
  const high = compressedRise(bands.high, DEFAULT_ONSET_WEIGHTS.contrast);
  const highReference = percentile(high, 0.995);
  const low = compressedRise(bands.low, BEAT_CONTRAST);
  const mid = compressedRise(bands.mid, BEAT_CONTRAST);
  const lowScale = 1 / percentile(low, 0.995);
  const midScale = 1 / percentile(mid, 0.995);
  const out = new Float32Array(low.length);
  for (let i = 0; i < out.length; i++) {
    let transient = 0;
    for (let d = -TRANSIENT_TOLERANCE; d <= TRANSIENT_TOLERANCE; d++) transient = Math.max(transient, high[i + d] ?? 0);
    const gate = 0.1 + 0.9 * Math.min(1, transient / highReference);
    out[i] = (Math.min(1, low[i] * lowScale) + Math.min(1, mid[i] * midScale)) * gate;
  }
  return out;
}

/** The q-quantile of the positive values (1 when there are none). */
function percentile(values: Float32Array, q: number): number {
  const positive = Float32Array.from(values.filter((v) => v > 0)).sort();
  return positive.length ? positive[Math.floor((positive.length - 1) * q)] : 1;
}

/** 3-tap smoothing (tolerates humanised timing) and mean removal. */
function smoothAndCenter(envelope: Float32Array): Float32Array {
  const out = new Float32Array(envelope.length);
  let mean = 0;
  for (let i = 0; i < envelope.length; i++) {
    out[i] = 0.25 * (envelope[i - 1] ?? 0) + 0.5 * envelope[i] + 0.25 * (envelope[i + 1] ?? 0);
    mean += out[i];
  }
  mean /= envelope.length || 1;
  for (let i = 0; i < out.length; i++) out[i] -= mean;
  return out;
}

/** Unbiased autocorrelation for lags 0..maxLag, normalised so that lag 0 is 1. */
function autocorrelation(x: Float32Array, maxLag: number): Float64Array {
  const out = new Float64Array(Math.max(0, maxLag + 1));
  const n = x.length;
  for (let lag = 0; lag <= maxLag; lag++) {
    let sum = 0;
    for (let i = 0; i + lag < n; i++) sum += x[i] * x[i + lag];
    out[lag] = sum / (n - lag);
  }
  const zero = out[0];
  if (zero > 0) for (let lag = 0; lag <= maxLag; lag++) out[lag] /= zero;
  return out;
}

function interpolate(values: Float64Array, position: number): number {
  if (position < 0 || position > values.length - 1) return 0;
  const i = Math.floor(position);
  const frac = position - i;
  return i + 1 < values.length ? values[i] * (1 - frac) + values[i + 1] * frac : values[i];
}
