import { interSamplePeak, samplePeak, truePeak, truePeakDbtp, TruePeakInterpolator, TruePeakMeter, truePeakOfPcm16 } from './true-peak';
import { decodeWavPcm16, encodeWavPcm16 } from './wav';

function noise(length: number, seed: number, scale = 1.6): Float32Array {
  let state = seed;
  return Float32Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648 - 0.5) * scale;
  });
}

/** Every oversampled point of the 192 kHz grid (positions k × rate / 192000), straight from the kernel's definition. */
function directPeak(x: Float32Array, sampleRate: number): number {
  const besselI0 = (v: number) => {
    let sum = 1;
    let term = 1;
    for (let k = 1; k < 60; k++) {
      term *= (v * v) / 4 / (k * k);
      sum += term;
    }
    return sum;
  };
  let peak = samplePeak([x]);
  for (let k = 0; k * sampleRate < (x.length + 16) * 192000; k++) {
    const position = (k * sampleRate) / 192000;
    const m = Math.floor(position);
    const fraction = position - m;
    if (fraction === 0) continue;
    let value = 0;
    for (let i = 0; i < 32; i++) {
      const j = m - 15 + i;
      if (j < 0 || j >= x.length) continue;
      const d = i - 15 - fraction;
      const w = d / 16;
      value += ((Math.sin(Math.PI * d) / (Math.PI * d)) * besselI0(9 * Math.sqrt(Math.max(1 - w * w, 0)))) / besselI0(9) * x[j];
    }
    peak = Math.max(peak, Math.abs(value));
  }
  return peak;
}

/** A tone faded in and out over 200 samples, so it does not start or end with a step (whose ringing counts). */
function tone(length: number, at: (n: number) => number): Float32Array {
  return Float32Array.from({ length }, (_, n) => Math.min(1, n / 200, (length - 1 - n) / 200) * at(n));
}

describe('true peak (oversampled to 192 kHz)', () => {
  it('finds the inter-sample peak of a quarter-rate sine sampled at ±45°', () => {
    // x[n] = sin(πn/2 + π/4): every sample is ±0.707, the waveform reaches ±1 (at 48 kHz the 4× grid lands on it).
    const x = tone(4000, (n) => Math.sin((Math.PI * n) / 2 + Math.PI / 4));
    expect(samplePeak([x])).toBeCloseTo(Math.SQRT1_2, 5);
    expect(truePeak([x], 48000)).toBeGreaterThan(0.995);
    expect(truePeak([x], 48000)).toBeLessThan(1.005);
  });

  it('equals the sample peak for a slow sine', () => {
    const x = tone(48000, (n) => 0.5 * Math.sin((2 * Math.PI * 100 * n) / 48000));
    expect(truePeakDbtp([x], 48000)).toBeCloseTo(20 * Math.log10(0.5), 2);
  });

  it('reads a 0 dBFS 11 kHz sine at 44.1 kHz at its amplitude though its samples miss the crests', () => {
    // 11025 Hz + a little: the samples drift across the waveform, the oversampled grid follows it.
    const x = tone(44100, (n) => Math.sin((2 * Math.PI * 11000 * n) / 44100 + 0.3));
    expect(truePeakDbtp([x], 44100)).toBeGreaterThan(-0.05);
    expect(truePeakDbtp([x], 44100)).toBeLessThan(0.05);
  });

  it.each([48000, 44100, 22050, 16000])('is the largest point of the kernel on the 192 kHz grid at %i Hz', (sampleRate) => {
    const x = noise(1000, 4242);
    expect(truePeak([x], sampleRate)).toBeCloseTo(directPeak(x, sampleRate), 9);
  });

  it('counts the ringing of a step into the silence before and after the signal', () => {
    const x = new Float32Array(200).fill(0.5);
    expect(truePeak([x], 48000)).toBeGreaterThan(0.52);
    expect(truePeak([x], 48000)).toBeCloseTo(directPeak(x, 48000), 9);
  });

  it('streams to the same answer as the direct interpolation everywhere', () => {
    const x = noise(5000, 12345);
    for (const sampleRate of [48000, 44100]) {
      let direct = samplePeak([x]);
      for (let m = -16; m < x.length + 15; m++) direct = Math.max(direct, interSamplePeak(x, m, sampleRate));
      const meter = new TruePeakMeter(1, sampleRate);
      for (let start = 0; start < x.length; start += 333) meter.push([x], start, Math.min(x.length, start + 333));
      expect(meter.peak()).toBeCloseTo(direct, 9);
    }
  });

  it('bounds every interpolated value by its window (the basis of every skip)', () => {
    const interpolator = TruePeakInterpolator.forRate(44100);
    const x = noise(3000, 99);
    for (let first = 0; first + 32 <= x.length; first += 7) {
      const m = first + 15;
      const exact = interpolator.windowPeak(x, first, m);
      expect(exact).toBeLessThanOrEqual(interpolator.windowBound(x, first) + 1e-12);
      let loudest = 0;
      for (let i = first; i < first + 32; i++) loudest = Math.max(loudest, Math.abs(x[i]));
      expect(exact).toBeLessThanOrEqual(interpolator.gain * loudest + 1e-12);
    }
  });

  it("skips only what cannot raise the peak when told each block's bound", () => {
    let state = 777;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648 - 0.5;
    };
    // Quiet stretches with a few loud bursts, and a gain applied afterwards.
    const x = Float32Array.from({ length: 20000 }, (_, n) => (n % 5000 < 300 ? 1.4 : 0.2) * random());
    const gain = 0.7;
    const y = x.map((v) => v * gain);
    const frames = 32;
    const peaks = new Float32Array(Math.ceil(x.length / frames));
    for (let n = 0; n < x.length; n++) peaks[Math.floor(n / frames)] = Math.max(peaks[Math.floor(n / frames)], Math.abs(x[n]));
    const plain = new TruePeakMeter(1, 44100);
    const bounded = new TruePeakMeter(1, 44100);
    for (let start = 0; start < y.length; start += 1000) {
      plain.push([y], start, Math.min(y.length, start + 1000));
      bounded.push([y], start, Math.min(y.length, start + 1000), { peaks, frames, scale: gain });
    }
    expect(bounded.peak()).toBe(plain.peak());
  });

  it('rejects a sample rate that is not a positive integer', () => {
    expect(() => truePeak([new Float32Array(10)], 0)).toThrow(/sampleRate/);
  });

  it('reads interleaved 16-bit PCM from block bounds and a floor exactly as the meter reads the decoded file', () => {
    let state = 4242;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648 - 0.5;
    };
    const frames = 10000;
    // Quiet, then loud bursts with peaks between samples, ending on a full-scale step.
    const level = (n: number) => (n < 3000 ? 0.05 : n % 2000 < 250 ? 1.5 : 0.3);
    const channels = [0, 1].map((c) => Float32Array.from({ length: frames }, (_, n) => (n === frames - 1 ? 0.95 : level(n) * random() + 0.2 * c * Math.sin((Math.PI * n) / 2 + Math.PI / 4))));
    const wav = encodeWavPcm16(channels, 44100);
    const decoded = decodeWavPcm16(wav).channels;
    const pcm = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
    const block = 32;
    const blocks = Math.ceil(frames / block);
    const peaks = new Float64Array(blocks);
    for (let n = 0; n < frames; n++) peaks[Math.floor(n / block)] = Math.max(peaks[Math.floor(n / block)], Math.abs(channels[0][n]), Math.abs(channels[1][n]));
    // Exact interval bounds of the signal before rounding; Infinity where a window reaches outside it.
    const intervals = new Float64Array(blocks);
    for (let k = 0; k < blocks; k++) {
      for (let m = k * block - 16; m < (k + 1) * block - 16; m++) {
        const inside = m - 15 >= 0 && m + 16 < frames;
        intervals[k] = Math.max(intervals[k], inside ? Math.max(interSamplePeak(channels[0], m, 44100), interSamplePeak(channels[1], m, 44100)) : Infinity);
      }
    }
    const reference = truePeak(decoded, 44100);
    const floor = Math.max(...peaks) * 0.999;
    expect(truePeakOfPcm16(pcm, 2, 44100, { peaks, intervals, frames: block, scale: 1 }, floor)).toBe(reference);
    expect(truePeakOfPcm16(pcm, 2, 44100, { peaks, intervals, frames: block, scale: 1 })).toBe(reference);
    expect(truePeakOfPcm16(pcm, 2, 44100, { peaks, intervals: null, frames: block, scale: 1 })).toBe(reference);
    // The peak lies between samples: the blocks' interpolation is what finds it.
    expect(reference).toBeGreaterThan(samplePeak(decoded));
  });
});
