import { decodeWavPcm16 } from '@texttune/audio';
import { master, wavOverLeftChannel } from './master';

const RATE = 44100;

/** A stereo mix of `seconds` from a generator per channel, its left channel written into `left`. */
function mix(left: Float32Array, generate: (frame: number, channel: number) => number): Float32Array {
  const right = new Float32Array(left.length);
  for (let i = 0; i < left.length; i++) {
    left[i] = generate(i, 0);
    right[i] = generate(i, 1);
  }
  return right;
}

/** Masters the same mix twice, into its own WAV and over its left channel; returns both and how often the mix was asked for again. */
async function bothWays(seconds: number, generate: (frame: number, channel: number) => number) {
  const frames = seconds * RATE;
  const { wav, left } = wavOverLeftChannel(frames);
  const right = mix(left, generate);
  const original = { left: left.slice(), right: right.slice() };
  const separate = await master(original.left.slice(), original.right.slice(), RATE, () => undefined);
  let remixes = 0;
  const inPlace = await master(left, right, RATE, () => undefined, undefined, {
    wav,
    remix: async () => {
      remixes++;
      return { left: original.left.slice(), right: original.right.slice() };
    },
  });
  return { separate, inPlace, wav, remixes };
}

describe('master, written over the left channel', () => {
  it('writes the same WAV as into a buffer of its own, in the buffer it is given', async () => {
    const { separate, inPlace, wav, remixes } = await bothWays(4, (i, c) => 0.3 * Math.sin((2 * Math.PI * (220 + 110 * c) * i) / RATE) + 0.05 * Math.sin(i * 0.37));
    expect(remixes).toBe(0);
    expect(inPlace.wav.buffer).toBe(wav.buffer);
    expect(inPlace.wav.equals(separate.wav)).toBe(true);
    expect(inPlace.loudnessLufs).toBe(separate.loudnessLufs);
    expect(inPlace.truePeakDbtp).toBe(separate.truePeakDbtp);
    expect(decodeWavPcm16(inPlace.wav).channels[0].length).toBe(4 * RATE);
  });

  it('asks for the mix again when a second pass needs it, and writes the same WAV', async () => {
    // Full-scale single-sample spikes over a quiet tone: the limiter's prediction misses and a second pass runs.
    const { separate, inPlace, remixes } = await bothWays(3, (i, c) => (i % 4410 === 0 ? 1 : 0.01 * Math.sin((i + 7 * c) * 0.05)));
    expect(remixes).toBe(1);
    expect(inPlace.wav.equals(separate.wav)).toBe(true);
    expect(inPlace.truePeakDbtp).toBeLessThanOrEqual(-1);
  });

  it('refuses a WAV buffer of the wrong size', async () => {
    const { wav } = wavOverLeftChannel(RATE);
    const left = new Float32Array(2 * RATE);
    const right = new Float32Array(2 * RATE);
    await expect(master(left, right, RATE, () => undefined, undefined, { wav, remix: async () => ({ left, right }) })).rejects.toThrow(RangeError);
  });
});
