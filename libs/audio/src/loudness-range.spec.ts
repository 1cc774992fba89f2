// eslint-disable-next-line @nx/enforce-module-boundaries -- the reference meter is a test tool outside every project, reached by path
import { measureEbur128Sync, requireFfmpeg } from '../../../tools/reference/ffmpeg-ebur128.cjs';
import { loudnessRange, loudnessRangeOfSteps } from './loudness-range';
import { decodeWavPcm16, encodeWavPcm16 } from './wav';

const RATE = 48000;

/** Deterministic white noise (xorshift32), in −1…1. */
function noise(frames: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  return Float32Array.from({ length: frames }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 0xffffffff) * 2 - 1;
  });
}

/** A 1 kHz sine whose level (dBFS) follows `levelAt(seconds)`. */
function tone(seconds: number, levelAt: (t: number) => number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => Math.pow(10, levelAt(i / RATE) / 20) * Math.sin((2 * Math.PI * 1000 * i) / RATE));
}

const signals: [string, () => Float32Array[]][] = [
  // EBU Tech 3342 test signals 1 and 2: 20 s at one level, 20 s at another.
  ['1 kHz −20 then −30 dBFS (Tech 3342 case 1)', () => [tone(40, (t) => (t < 20 ? -20 : -30)), tone(40, (t) => (t < 20 ? -20 : -30))]],
  ['1 kHz −20 then −15 dBFS (Tech 3342 case 2)', () => [tone(40, (t) => (t < 20 ? -20 : -15)), tone(40, (t) => (t < 20 ? -20 : -15))]],
  [
    'noise fading in from −40 to −10 dBFS over 30 s',
    () => {
      const left = noise(30 * RATE, 7);
      const right = noise(30 * RATE, 11);
      for (let i = 0; i < left.length; i++) {
        const gain = Math.pow(10, (-40 + (30 * i) / left.length) / 20);
        left[i] *= gain;
        right[i] *= gain;
      }
      return [left, right];
    },
  ],
  [
    'a tone pulsing between −12 and −26 dBFS every 2 s, with silence',
    () => {
      const mono = tone(25, (t) => (Math.floor(t / 2) % 3 === 0 ? -12 : Math.floor(t / 2) % 3 === 1 ? -26 : -200));
      return [mono];
    },
  ],
];

describe('loudness range (EBU Tech 3342)', () => {
  beforeAll(() => requireFfmpeg());

  it.each(signals)('matches ffmpeg ebur128 within 0.5 LU: %s', (_, make) => {
    const wav = encodeWavPcm16(make(), RATE);
    // Measure what ffmpeg reads: the 16-bit samples of the file.
    const { channels } = decodeWavPcm16(wav);
    const ours = loudnessRange(channels, RATE);
    const reference = measureEbur128Sync(wav).loudnessRangeLu;
    expect(Math.abs(ours - reference)).toBeLessThan(0.5);
  });

  it('reads 10 LU for Tech 3342 case 1 and about 0 for a steady tone', () => {
    const stepped = tone(40, (t) => (t < 20 ? -20 : -30));
    expect(loudnessRange([stepped, stepped], RATE)).toBeCloseTo(10, 0);
    expect(loudnessRange([tone(10, () => -18)], RATE)).toBeLessThan(0.1);
  });

  it('is 0 under 3 s (no complete short-term window) and for silence', () => {
    expect(loudnessRange([tone(2.5, (t) => (t < 1 ? -10 : -40))], RATE)).toBe(0);
    expect(loudnessRangeOfSteps(new Array<number>(100).fill(0))).toBe(0);
  });

  it('gates relatively: a quiet passage 30 LU below the rest does not widen the range', () => {
    const mixed = tone(40, (t) => (t < 30 ? -15 : -45));
    expect(loudnessRange([mixed], RATE)).toBeLessThan(1);
  });
});
