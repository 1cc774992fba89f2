/**
 * Shared DSP building blocks: deterministic noise, a sine table and band-limited
 * wavetables. Everything here is allocation-free once constructed.
 */
import { RealFft } from '@texttune/audio';

/** xorshift32 white noise in [−1, 1), seeded per voice so renders are reproducible. */
export class Noise {
  /** kept as a signed int32 (same bits) so V8 stores it unboxed; read as unsigned below */
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0 || 0x9e3779b9 | 0;
  }

  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x | 0;
    return (x >>> 0) / 2147483648 - 1;
  }
}

export const SINE_TABLE_SIZE = 4096;
/** One period of a sine plus a guard point, for interpolated lookup by phase in [0, 1). */
export const SINE_TABLE: Float32Array = (() => {
  const table = new Float32Array(SINE_TABLE_SIZE + 1);
  for (let i = 0; i <= SINE_TABLE_SIZE; i++) table[i] = Math.sin((2 * Math.PI * i) / SINE_TABLE_SIZE);
  return table;
})();

/** Smooth saturation, ≈ tanh for small inputs, never above 1 in magnitude. */
export function softClip(x: number): number {
  return x / (1 + (x < 0 ? -x : x));
}

export type Waveform = 'saw' | 'square' | 'pulse25' | 'pulse12' | 'triangle' | 'soft-saw';

/** Sine-series amplitude of harmonic n (1-based) of each waveform. */
const HARMONICS: Record<Waveform, (n: number) => number> = {
  saw: (n) => 1 / n,
  square: (n) => (n % 2 === 1 ? 1 / n : 0),
  pulse25: (n) => Math.sin(n * Math.PI * 0.25) / n,
  pulse12: (n) => Math.sin(n * Math.PI * 0.125) / n,
  triangle: (n) => (n % 2 === 1 ? ((n - 1) / 2) % 2 === 0 ? 1 / (n * n) : -1 / (n * n) : 0),
  // a saw with its upper harmonics rolled off: strings and pads
  'soft-saw': (n) => 1 / (n * Math.sqrt(1 + n / 6)),
};

export const WAVETABLE_SIZE = 2048;
let wavetableFft: RealFft | undefined;
/** the FFT that builds every wavetable, made on first use */
function sineSeriesFft(): RealFft {
  return (wavetableFft ??= new RealFft(WAVETABLE_SIZE));
}
const LOWEST_TABLE_HZ = 20;
const TABLE_OCTAVES = 10;
const MAX_HARMONICS = 240;

/**
 * Band-limited wavetables, one per octave of fundamental: the table for notes in
 * [20·2^k, 20·2^(k+1)) Hz holds only the harmonics that stay below Nyquist at the
 * top of that range, so playback never aliases. Built once per (waveform, rate).
 */
export class WavetableBank {
  /** by waveform, then sample rate */
  private static readonly cache = new Map<Waveform, Map<number, WavetableBank>>();
  readonly tables: Float32Array[];

  static get(waveform: Waveform, sampleRate: number): WavetableBank {
    let byRate = WavetableBank.cache.get(waveform);
    if (!byRate) WavetableBank.cache.set(waveform, (byRate = new Map<number, WavetableBank>()));
    let bank = byRate.get(sampleRate);
    if (!bank) byRate.set(sampleRate, (bank = new WavetableBank(waveform, sampleRate)));
    return bank;
  }

  private constructor(waveform: Waveform, sampleRate: number) {
    const amplitude = HARMONICS[waveform];
    this.tables = [];
    let previous: Float32Array | undefined;
    let previousCount = -1;
    for (let octave = 0; octave < TABLE_OCTAVES; octave++) {
      const topHz = LOWEST_TABLE_HZ * Math.pow(2, octave + 1);
      const count = Math.max(1, Math.min(MAX_HARMONICS, Math.floor((sampleRate * 0.45) / topHz)));
      if (previous && count === previousCount) {
        this.tables.push(previous);
        continue;
      }
      const table = bandLimitedTable(amplitude, count);
      this.tables.push(table);
      previous = table;
      previousCount = count;
    }
  }

  /** The table to play a note of `hz` with. */
  tableFor(hz: number): Float32Array {
    const octave = Math.floor(Math.log2(Math.max(hz, LOWEST_TABLE_HZ) / LOWEST_TABLE_HZ));
    return this.tables[Math.min(TABLE_OCTAVES - 1, Math.max(0, octave))];
  }
}

/**
 * One period of Σ amplitude(n)·sin(2π·n·i/N), n = 1..count, normalised to a peak of 1, plus a
 * guard point. An FFT sums the series: ~30 µs a table, where summing it harmonic by harmonic
 * costs milliseconds inside the first render that plays each waveform. A function of its own,
 * not part of the bank's constructor: V8 compiles a hot loop together with the function around
 * it, which for the constructor costs ~24 ms of compiling.
 */
function bandLimitedTable(amplitude: (n: number) => number, count: number): Float32Array {
  const amplitudes = new Float64Array(count + 1);
  for (let n = 1; n <= count; n++) amplitudes[n] = amplitude(n);
  const sum = sineSeriesFft().sineSeries(amplitudes, new Float64Array(WAVETABLE_SIZE));
  let peak = 0;
  for (let i = 0; i < WAVETABLE_SIZE; i++) if (Math.abs(sum[i]) > peak) peak = Math.abs(sum[i]);
  const table = new Float32Array(WAVETABLE_SIZE + 1);
  for (let i = 0; i < WAVETABLE_SIZE; i++) table[i] = sum[i] / (peak || 1);
  table[WAVETABLE_SIZE] = table[0];
  return table;
}

/** Decay multiplier per sample that reaches −60 dB after `seconds`. */
export function t60Coefficient(seconds: number, sampleRate: number): number {
  return Math.pow(0.001, 1 / Math.max(1e-4, seconds * sampleRate));
}

/** One-pole low-pass smoothing coefficient for a cut-off in Hz. */
export function onePoleCoefficient(hz: number, sampleRate: number): number {
  return 1 - Math.exp((-2 * Math.PI * Math.min(hz, sampleRate * 0.45)) / sampleRate);
}

/**
 * Two-times multirate helpers. At 44.1/48 kHz, parts with nothing near the top
 * octave (pads and chords, bass lines, low additive melodies, brass, the reverb
 * and the echo) are computed at half the rate and interpolated back up, which
 * halves their cost without an audible difference (see synth/engine.ts).
 *
 * The interpolator is a half-band FIR: even output samples are the low-rate
 * samples themselves, odd ones the six-point Lagrange midpoint of the three
 * low-rate samples on either side. It passes up to a quarter of the low rate
 * within 0.2 dB and keeps the images of anything below an eighth of it (2.7 kHz
 * at 22.05 kHz) more than 60 dB down.
 */
export const HALF_BAND_C0 = 150 / 256;
export const HALF_BAND_C1 = -25 / 256;
export const HALF_BAND_C2 = 3 / 256;
/** low-rate samples the interpolator reads on each side of a midpoint */
export const HALF_BAND_REACH = 3;
/** render at half rate from this output rate up (the low rate stays ≥ 20 kHz) */
export const HALF_RATE_MIN_SAMPLE_RATE = 40000;
