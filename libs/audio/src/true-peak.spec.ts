import { interSamplePeak, samplePeak, truePeak, truePeakDbtp, TruePeakMeter } from './true-peak';

describe('true peak (4× oversampling)', () => {
  it('finds the inter-sample peak of a quarter-rate sine sampled at ±45°', () => {
    // x[n] = sin(πn/2 + π/4): every sample is ±0.707, the waveform reaches ±1.
    const x = Float32Array.from({ length: 4000 }, (_, n) => Math.sin((Math.PI * n) / 2 + Math.PI / 4));
    expect(samplePeak([x])).toBeCloseTo(Math.SQRT1_2, 5);
    expect(truePeak([x])).toBeGreaterThan(0.97);
    expect(truePeak([x])).toBeLessThan(1.03);
  });

  it('equals the sample peak for a slow sine', () => {
    const x = Float32Array.from({ length: 48000 }, (_, n) => 0.5 * Math.sin((2 * Math.PI * 100 * n) / 48000));
    expect(truePeakDbtp([x])).toBeCloseTo(20 * Math.log10(0.5), 1);
  });

  it('streams to the same answer as the direct interpolation everywhere', () => {
    let state = 12345;
    const noise = Float32Array.from({ length: 5000 }, () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return (state / 2147483648 - 0.5) * 1.6;
    });
    let direct = samplePeak([noise]);
    for (let m = -1; m < noise.length; m++) direct = Math.max(direct, interSamplePeak(noise, m));
    const meter = new TruePeakMeter(1);
    for (let start = 0; start < noise.length; start += 333) meter.push([noise], start, Math.min(noise.length, start + 333));
    expect(meter.peak()).toBeCloseTo(direct, 9);
  });

  it('skips only what cannot raise the peak when told each block\'s bound', () => {
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
    const plain = new TruePeakMeter(1);
    const bounded = new TruePeakMeter(1);
    for (let start = 0; start < y.length; start += 1000) {
      plain.push([y], start, Math.min(y.length, start + 1000));
      bounded.push([y], start, Math.min(y.length, start + 1000), { peaks, frames, scale: gain });
    }
    expect(bounded.peak()).toBe(plain.peak());
  });
});
