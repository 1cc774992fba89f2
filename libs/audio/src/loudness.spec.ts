import { integratedLoudness, kWeightingCoefficients, LoudnessMeter } from './loudness';

function sine(hz: number, dbfs: number, seconds: number, sampleRate: number): Float32Array {
  const amplitude = Math.pow(10, dbfs / 20);
  return Float32Array.from({ length: Math.round(seconds * sampleRate) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate));
}

describe('loudness (ITU-R BS.1770-4)', () => {
  it('reproduces the 48 kHz K-weighting coefficients of the standard', () => {
    const { shelf, highPass } = kWeightingCoefficients(48000);
    expect(shelf.b0).toBeCloseTo(1.53512485958697, 8);
    expect(shelf.b1).toBeCloseTo(-2.69169618940638, 8);
    expect(shelf.b2).toBeCloseTo(1.19839281085285, 8);
    expect(shelf.a1).toBeCloseTo(-1.69065929318241, 8);
    expect(shelf.a2).toBeCloseTo(0.73248077421585, 8);
    expect(highPass.a1).toBeCloseTo(-1.99004745483398, 8);
    expect(highPass.a2).toBeCloseTo(0.99007225036621, 8);
  });

  it('reads a 0 dBFS 1 kHz sine in one channel as −3.01 LUFS', () => {
    const tone = sine(1000, 0, 5, 48000);
    expect(integratedLoudness([tone], 48000)).toBeCloseTo(-3.01, 1);
  });

  it.each([16000, 22050, 44100, 48000])('reads a −20 dBFS 1 kHz stereo sine as −20 LUFS at %i Hz', (rate) => {
    const tone = sine(1000, -20, 4, rate);
    expect(Math.abs(integratedLoudness([tone, tone], rate) - -20)).toBeLessThan(rate < 20000 ? 0.3 : 0.1);
  });

  it('gates: EBU Tech 3341 case 3 (−36, −23, −36 dBFS) reads −23 LUFS', () => {
    const rate = 22050;
    const parts = [sine(1000, -36, 10, rate), sine(1000, -23, 60, rate), sine(1000, -36, 10, rate)];
    const meter = new LoudnessMeter(rate, 2);
    for (const part of parts) meter.push([part, part]);
    expect(meter.integrated()).toBeCloseTo(-23, 1);
  });

  it('ignores silence (absolute gate) and answers −Infinity for pure silence', () => {
    const rate = 16000;
    const tone = sine(1000, -23, 10, rate);
    const padded = new Float32Array(tone.length * 3);
    padded.set(tone, tone.length);
    // Without gating the 20 s of silence would pull this to −27.8; only the few
    // blocks straddling the tone's edges (which pass both gates) lower it slightly.
    expect(integratedLoudness([padded, padded], rate)).toBeGreaterThan(-23.2);
    expect(integratedLoudness([padded, padded], rate)).toBeLessThan(-22.9);
    expect(integratedLoudness([new Float32Array(rate)], rate)).toBe(-Infinity);
  });

  it('gives the same answer when fed in odd-sized chunks', () => {
    const rate = 22050;
    const tone = sine(440, -12, 3, rate);
    const meter = new LoudnessMeter(rate, 1);
    for (let start = 0; start < tone.length; start += 777) meter.push([tone], start, Math.min(tone.length, start + 777));
    expect(meter.integrated()).toBeCloseTo(integratedLoudness([tone], rate), 9);
  });
});
