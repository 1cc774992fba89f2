import { interSamplePeak, truePeak } from '@texttune/audio';
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

  it('bounds every output cell’s samples and the inter-sample values its frames complete (what the meter skips on)', () => {
    // Bursts that need limiting, releases, quiet stretches at rest, and sines whose peaks fall between samples.
    const length = 24000;
    const shape = (v: number, n: number) => (n % 6000 < 700 ? 1.6 : n % 6000 < 3000 ? 0.5 : 0.15) * v + 0.4 * Math.sin((Math.PI * n) / 2 + Math.PI / 4);
    const left = noise(length, 5).map(shape);
    const right = noise(length, 6).map(shape);
    const cell = 32;
    const cellPeaks = new Float32Array(Math.ceil(length / cell));
    for (let n = 0; n < length; n++) cellPeaks[Math.floor(n / cell)] = Math.max(cellPeaks[Math.floor(n / cell)], Math.abs(left[n]), Math.abs(right[n]));
    const limiter = new TruePeakLimiter(left, right, { gain: 1.4, ceiling: CEILING, lookaheadSeconds: 0.0015, releaseSeconds: 0.08 }, RATE, cellPeaks, cell);
    const outLeft = new Float32Array(length);
    const outRight = new Float32Array(length);
    // Chunks that end inside cells, as a caller may ask.
    for (let start = 0; start < length; start += 5000) limiter.process(outLeft.subarray(start), outRight.subarray(start), Math.min(5000, length - start));
    const peaks = limiter.outputPeaks!;
    const intervals = limiter.outputIntervals!;
    let tight = 0;
    for (let k = 0; k < cellPeaks.length; k++) {
      let samples = 0;
      for (let n = k * cell; n < Math.min(length, (k + 1) * cell); n++) samples = Math.max(samples, Math.abs(outLeft[n]), Math.abs(outRight[n]));
      let between = 0;
      for (let m = k * cell - 16; m < Math.min(length, (k + 1) * cell - 16); m++) between = Math.max(between, interSamplePeak(outLeft, m, RATE), interSamplePeak(outRight, m, RATE));
      expect(samples).toBeLessThanOrEqual(peaks[k]);
      expect(between).toBeLessThanOrEqual(intervals[k]);
      if (Number.isFinite(intervals[k]) && intervals[k] < CEILING) tight++;
    }
    // The bounds are useful: most cells can be shown to stay under the ceiling without interpolating.
    expect(tight).toBeGreaterThan(cellPeaks.length / 2);
    // The floor is under the loudest output sample, and within 1 dB of it.
    let loudest = 0;
    for (let n = 0; n < length; n++) loudest = Math.max(loudest, Math.abs(outLeft[n]), Math.abs(outRight[n]));
    expect(limiter.outputSampleFloor()).toBeLessThanOrEqual(loudest);
    expect(limiter.outputSampleFloor()).toBeGreaterThan(Math.pow(10, -1 / 20) * loudest);
  });
});
