import { midiToHz } from '../../theory/pitch';
import { Voice } from '../voice';
import { AdditiveVoice, BELLS, PIANO } from './additive';
import { BASS_GUITAR, PluckVoice } from './pluck';
import { BRASS, PAD, STRINGS, SubtractiveVoice, SYNTH_BASS } from './subtractive';
import { VinylVoice } from './texture';

const RATE = 22050;
const timing = { startFrame: 300, releaseFrame: 300 + RATE, amplitude: 0.7 };

/** Renders a voice over `frames` frames, in blocks of the given sizes (cycled). */
function renderInBlocks(voice: Voice, frames: number, sizes: readonly number[]): { left: Float32Array; right: Float32Array } {
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let start = 0, k = 0; start < frames; k++) {
    const n = Math.min(sizes[k % sizes.length], frames - start);
    const l = new Float32Array(n);
    const r = new Float32Array(n);
    voice.render(l, r, start, n);
    left.set(l, start);
    right.set(r, start);
    start += n;
  }
  return { left, right };
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('voices', () => {
  const cases: [string, () => Voice][] = [
    ['pad (two detuned oscillators)', () => new SubtractiveVoice(PAD, midiToHz(57), 0.8, timing, RATE, 2, 12345)],
    ['strings (vibrato)', () => new SubtractiveVoice(STRINGS, midiToHz(69), 0.8, timing, RATE, 3, 999)],
    ['synth bass (sub oscillator)', () => new SubtractiveVoice(SYNTH_BASS, midiToHz(40), 0.9, timing, RATE, 1, 7)],
    ['brass', () => new SubtractiveVoice(BRASS, midiToHz(62), 0.6, timing, RATE, 2, 3)],
    ['piano', () => new AdditiveVoice(PIANO, midiToHz(60), 0.7, timing, RATE, 12, 5)],
    ['bells', () => new AdditiveVoice(BELLS, midiToHz(79), 0.7, timing, RATE, 7, 5)],
    ['bass guitar', () => new PluckVoice(BASS_GUITAR, midiToHz(33), 0.8, timing, RATE, 11)],
    ['vinyl', () => new VinylVoice({ startFrame: 0, releaseFrame: 2 * RATE, amplitude: 0.5 }, RATE, 4)],
  ];

  it.each(cases)('%s sounds the same whatever the block size', (_name, make) => {
    const frames = 2 * RATE;
    const whole = renderInBlocks(make(), frames, [1024]);
    const ragged = renderInBlocks(make(), frames, [37, 512, 1, 300, 1024, 5]);
    let peak = 0;
    for (let i = 0; i < frames; i++) peak = Math.max(peak, Math.abs(whole.left[i]));
    expect(peak).toBeGreaterThan(0.01);
    // Only where an additive voice stops computing a partial that has died away
    // (checked at the end of each block, under 7.5e-5) may the two differ.
    expect(maxDifference(whole.left, ragged.left)).toBeLessThan(3e-4);
    expect(maxDifference(whole.right, ragged.right)).toBeLessThan(3e-4);
  });

  it('is silent before its start frame', () => {
    const voice = new SubtractiveVoice(PAD, midiToHz(57), 0.8, timing, RATE, 2, 1);
    const { left } = renderInBlocks(voice, 600, [128]);
    expect(left.subarray(0, timing.startFrame).every((x) => x === 0)).toBe(true);
    expect(left.subarray(timing.startFrame).some((x) => x !== 0)).toBe(true);
  });
});
