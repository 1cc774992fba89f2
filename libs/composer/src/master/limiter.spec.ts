import { truePeak } from '@texttune/audio';
import { TruePeakLimiter } from './limiter';

const RATE = 44100;
const CEILING = Math.pow(10, -1.3 / 20);

function noise(length: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  });
}

function limit(left: Float32Array, right: Float32Array, gain: number): Float32Array[] {
  const outLeft = new Float32Array(left.length);
  const outRight = new Float32Array(left.length);
  const limiter = new TruePeakLimiter(left, right, { gain, ceiling: CEILING, lookaheadSeconds: 0.0015, releaseSeconds: 0.08 }, RATE);
  limiter.process(outLeft, outRight, left.length);
  return [outLeft, outRight];
}

describe('TruePeakLimiter', () => {
  it('holds the ceiling from the very first frame of a mix that starts with a loud burst', () => {
    // Broadband noise at full level from frame 0 on, then quiet: the burst's first frames
    // are within the look-ahead of the start.
    const left = noise(8000, 1).map((v, n) => (n < 300 ? 2 * v : 0.05 * v));
    const right = noise(8000, 2).map((v, n) => (n < 300 ? 2 * v : 0.05 * v));
    const out = limit(left, right, 1.5);
    expect(truePeak(out, RATE)).toBeLessThanOrEqual(CEILING * 1.003);
    expect(truePeak([out[0].subarray(0, 8), out[1].subarray(0, 8)], RATE)).toBeLessThanOrEqual(CEILING * 1.003);
  });

  it('limits the inter-sample peaks between samples, not just the samples', () => {
    // A quarter-rate sine sampled at ±45°: samples at 0.707 × amplitude, the waveform (and ffmpeg) at the amplitude.
    const sine = Float32Array.from({ length: 8000 }, (_, n) => Math.min(1, n / 400, (7999 - n) / 400) * Math.sin((Math.PI * n) / 2 + Math.PI / 4));
    const out = limit(sine, sine, 1.2);
    const peak = truePeak(out, RATE);
    expect(peak).toBeLessThanOrEqual(CEILING * 1.003);
    expect(peak).toBeGreaterThan(CEILING * 0.95);
  });

  it('leaves a mix under the ceiling at the make-up gain', () => {
    const left = noise(5000, 3).map((v) => 0.2 * v);
    const right = noise(5000, 4).map((v) => 0.2 * v);
    const [outLeft] = limit(left, right, 2);
    for (let n = 0; n < left.length; n += 97) expect(outLeft[n]).toBeCloseTo(left[n] * 2, 6);
  });
});
