/**
 * Listening tests: the rendered audio is analysed by the measurement code in
 * @texttune/audio, so the claims below are checked on the sound, not on the plan.
 */
import { decodeWavPcm16, estimateKey, estimateTempo, percussiveOnsetRate, PITCH_CLASS_NAMES, relativeKey, spectralStats } from '@texttune/audio';
import { renderMusic } from './render';

const RATE = 22050;

async function listen(prompt: string, seed = 5, durationSeconds = 10) {
  const result = await renderMusic({ prompt, durationSeconds, sampleRate: RATE, seed, quality: 'draft' });
  return { result, channels: decodeWavPcm16(result.wav).channels };
}

describe('listening tests', () => {
  it.each([
    ['calm lo-fi hip hop at 78 bpm', 78],
    ['hip hop 92 bpm', 92],
    ['sad ballad with drums, 68 bpm', 68],
    ['cinematic with drums, 86 bpm', 86],
    ['funk 104 bpm', 104],
    ['house 124 bpm', 124],
    ['rock 140 bpm', 140],
    ['drum and bass 174 bpm', 174],
  ])('"%s" is played at that tempo (±2 bpm, no octave errors)', async (prompt, bpm) => {
    const { channels } = await listen(prompt);
    expect(Math.abs(estimateTempo(channels, RATE).bpm - bpm)).toBeLessThanOrEqual(2);
  });

  it.each([
    ['lo-fi hip hop in A minor', 9, 'minor'],
    ['pop in D major', 2, 'major'],
    ['sad piano in F# minor', 6, 'minor'],
    ['house in Eb major', 3, 'major'],
    ['jazz in Bb major', 10, 'major'],
    ['dark techno in C minor', 0, 'minor'],
  ] as const)('"%s" is in that key (or its relative)', async (prompt, tonic, mode) => {
    const { channels } = await listen(prompt, 5, 12);
    const key = estimateKey(channels, RATE);
    const relative = relativeKey(tonic, mode);
    const accepted = [`${PITCH_CLASS_NAMES[tonic]} ${mode}`, `${PITCH_CLASS_NAMES[relative.tonic]} ${relative.mode}`];
    expect(accepted).toContain(key.name);
  });

  it('hears no drums in "solo piano, no drums" and plenty in "heavy drums"', async () => {
    const piano = await listen('solo piano, no drums', 3, 8);
    const drums = await listen('rock with heavy drums', 3, 8);
    expect(percussiveOnsetRate(piano.channels, RATE)).toBeLessThan(0.5);
    expect(percussiveOnsetRate(drums.channels, RATE)).toBeGreaterThan(2);
  });

  it('tells ambient from drum and bass: onsets and spectrum differ', async () => {
    const ambient = await listen('dreamy ambient', 4, 10);
    const dnb = await listen('drum and bass', 4, 10);
    expect(estimateTempo(dnb.channels, RATE).bpm).toBeGreaterThan(165);
    expect(percussiveOnsetRate(dnb.channels, RATE)).toBeGreaterThan(percussiveOnsetRate(ambient.channels, RATE) + 1.5);
    expect(spectralStats(dnb.channels, RATE).highBandRatio).toBeGreaterThan(spectralStats(ambient.channels, RATE).highBandRatio);
  });
});
