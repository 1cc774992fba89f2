import { compose } from '../compose/compose';
import { Score } from '../compose/score';
import { STYLES } from '../compose/styles';
import { interpretPrompt } from '../prompt/interpret';
import { QUALITY } from '../quality';
import { BLOCK_FRAMES, synthesize } from './engine';

/** Largest |second difference| near block boundaries, and elsewhere, over [from, to). */
function seams(x: Float32Array, from: number, to: number): { atSeams: number; elsewhere: number } {
  let atSeams = 0;
  let elsewhere = 0;
  for (let i = Math.max(1, from); i < to - 1; i++) {
    const d = Math.abs(x[i + 1] - 2 * x[i] + x[i - 1]);
    const offset = i % BLOCK_FRAMES;
    if (offset < 16 || offset > BLOCK_FRAMES - 16) atSeams = Math.max(atSeams, d);
    else elsewhere = Math.max(elsewhere, d);
  }
  return { atSeams, elsewhere };
}

async function render(score: Score, prompt: string, sampleRate: number) {
  const plan = interpretPrompt(prompt, 3);
  const frames = Math.round(score.durationSeconds * sampleRate);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  await synthesize(score, plan, STYLES[plan.genre], QUALITY.standard, { left, right, sampleRate }, () => undefined);
  return { left, right };
}

describe('synthesis engine', () => {
  it.each([44100, 48000])('joins half-rate blocks without a seam at %i Hz (sustained organ and piano chords)', async (sampleRate) => {
    // Sums of sinusoids: smooth, so a skipped or repeated low-rate frame where
    // blocks meet would stand out in the second difference.
    const prompt = 'organ and piano ballad, no drums';
    const plan = interpretPrompt(prompt, 3);
    const held = (instrument: 'organ' | 'piano', midi: number) => ({
      id: `${instrument}/chords`,
      source: { type: 'instrument' as const, instrument, role: 'chords' as const },
      notes: [{ start: 0.01, duration: 2.5, midi, velocity: 0.8 }],
    });
    const score: Score = { durationSeconds: 3, tempoBpm: plan.tempoBpm, tracks: [held('organ', 64), held('piano', 60)], fadeStartSeconds: 2.9 };
    const { left, right } = await render(score, prompt, sampleRate);
    for (const channel of [left, right]) {
      const { atSeams, elsewhere } = seams(channel, Math.round(0.7 * sampleRate), Math.round(2.4 * sampleRate));
      expect(elsewhere).toBeGreaterThan(0);
      expect(atSeams).toBeLessThan(1.5 * elsewhere);
    }
  });

  it('renders a score identically every time at 44.1 kHz', async () => {
    const plan = interpretPrompt('house 124 bpm', 9);
    const score = compose(plan, 4);
    const a = await render(score, 'house 124 bpm', 44100);
    const b = await render(score, 'house 124 bpm', 44100);
    expect(Buffer.from(a.left.buffer).equals(Buffer.from(b.left.buffer))).toBe(true);
    expect(Buffer.from(a.right.buffer).equals(Buffer.from(b.right.buffer))).toBe(true);
  });
});
