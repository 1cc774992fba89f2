/**
 * Small signal helpers shared by the analysers: mono downmix, RBJ biquads and
 * integer-factor decimation. All of them work on planar Float32Array channels.
 */

/** Averages planar channels into one mono signal (a new array). */
export function mixToMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  if (channels.length === 1) return channels[0];
  const frames = channels[0].length;
  const mono = new Float32Array(frames);
  const scale = 1 / channels.length;
  for (const channel of channels) {
    for (let i = 0; i < frames; i++) mono[i] += channel[i] * scale;
  }
  return mono;
}

/** Normalised biquad coefficients (a0 = 1): y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2. */
export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** RBJ cookbook low-pass. */
export function lowPassCoefficients(sampleRate: number, cutoffHz: number, q = Math.SQRT1_2): BiquadCoefficients {
  const w = (2 * Math.PI * Math.min(cutoffHz, sampleRate * 0.49)) / sampleRate;
  const alpha = Math.sin(w) / (2 * q);
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  return { b0: (1 - cos) / 2 / a0, b1: (1 - cos) / a0, b2: (1 - cos) / 2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** RBJ cookbook high-pass. */
export function highPassCoefficients(sampleRate: number, cutoffHz: number, q = Math.SQRT1_2): BiquadCoefficients {
  const w = (2 * Math.PI * Math.min(cutoffHz, sampleRate * 0.49)) / sampleRate;
  const alpha = Math.sin(w) / (2 * q);
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  return { b0: (1 + cos) / 2 / a0, b1: -(1 + cos) / a0, b2: (1 + cos) / 2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** Filters `input` into a new array (direct form I, double-precision state). */
export function biquadFilter(input: Float32Array, c: BiquadCoefficients): Float32Array {
  const out = new Float32Array(input.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < input.length; i++) {
    const x = input[i];
    const y = c.b0 * x + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    out[i] = y;
  }
  return out;
}

/**
 * Reduces the sample rate by the largest integer factor that keeps it at or above
 * `minRate`, after a 4th-order low-pass at 0.45 × the new Nyquist-safe band.
 */
export function decimate(signal: Float32Array, sampleRate: number, minRate: number): { signal: Float32Array; sampleRate: number } {
  const factor = Math.max(1, Math.floor(sampleRate / minRate));
  if (factor === 1) return { signal, sampleRate };
  const rate = sampleRate / factor;
  const lp = lowPassCoefficients(sampleRate, rate * 0.45);
  const filtered = biquadFilter(biquadFilter(signal, lp), lp);
  const out = new Float32Array(Math.floor(filtered.length / factor));
  for (let i = 0; i < out.length; i++) out[i] = filtered[i * factor];
  return { signal: out, sampleRate: rate };
}
