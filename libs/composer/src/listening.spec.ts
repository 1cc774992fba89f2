/**
 * Listening tests: the rendered audio is analysed by the measurement code in
 * @texttune/audio, so the claims below are checked on the sound, not on the plan.
 */
import { decodeWavPcm16, estimateKey, estimateTempo, integratedLoudness, percussiveOnsetRate, PITCH_CLASS_NAMES, relativeKey, spectralStats, truePeakDbtp } from '@texttune/audio';
import { renderMusic } from './render';

const RATE = 22050;
/** for the tests that render at delivery rates (44.1/48 kHz) */
const SLOW_TEST_MS = 60_000;

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

  it.each([1, 2, 3, 4])('plays trap at its real tempo, 130–150 bpm, and says so (seed %i)', async (seed) => {
    // Trap is felt in half time (one clap a bar), but counted — and planned — at full
    // tempo; the drums must make the audio read at that tempo too, not at its half.
    const { result, channels } = await listen('trap', seed, 10);
    const bpm = result.plan.tempoBpm;
    expect(bpm).toBeGreaterThanOrEqual(130);
    expect(bpm).toBeLessThanOrEqual(150);
    expect(result.description).toContain(`trap · ${bpm} bpm`);
    expect(Math.abs(estimateTempo(channels, RATE).bpm - bpm)).toBeLessThanOrEqual(2);
  });

  it.each([
    ['house 124 bpm'],
    ['epic cinematic orchestral'],
  ])('keeps the low end of "%s" in balance with the rest of the mix', async (prompt) => {
    // Share of the mix's power below 150 Hz (kick, bass, low drums), at a delivery rate.
    const ratios: number[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const result = await renderMusic({ prompt, durationSeconds: 12, sampleRate: 44100, seed, quality: 'standard' });
      ratios.push(spectralStats(decodeWavPcm16(result.wav).channels, 44100).lowBandRatio);
    }
    const mean = ratios.reduce((sum, r) => sum + r, 0) / ratios.length;
    expect(mean).toBeLessThan(0.5);
    expect(Math.max(...ratios)).toBeLessThan(0.55);
    // …and it is still there.
    expect(Math.min(...ratios)).toBeGreaterThan(0.25);
  }, SLOW_TEST_MS);

  it.each([
    ['house 124 bpm in Eb major'],
    ['calm lo-fi hip hop in A minor, 82 bpm'],
    ['epic cinematic orchestral in D minor, 90 bpm'],
  ])('hears the same "%s" at 44.1 and 48 kHz (parts synthesised at half rate) as at 22.05 kHz', async (prompt) => {
    const at = async (sampleRate: number) => {
      // What users get by default (standard: sampled acoustic parts beside the half-rate synthesis).
      const result = await renderMusic({ prompt, durationSeconds: 10, sampleRate, seed: 2, quality: 'standard' });
      const { channels } = decodeWavPcm16(result.wav);
      return {
        tempo: estimateTempo(channels, sampleRate).bpm,
        key: estimateKey(channels, sampleRate).name,
        low: spectralStats(channels, sampleRate).lowBandRatio,
        loudness: integratedLoudness(channels, sampleRate),
        peak: truePeakDbtp(channels, sampleRate),
      };
    };
    const reference = await at(22050);
    for (const sampleRate of [44100, 48000]) {
      const heard = await at(sampleRate);
      expect(Math.abs(heard.tempo - reference.tempo)).toBeLessThanOrEqual(0.5);
      expect(heard.key).toBe(reference.key);
      expect(Math.abs(heard.low - reference.low)).toBeLessThan(0.08);
      expect(Math.abs(heard.loudness - -14)).toBeLessThanOrEqual(0.3);
      expect(heard.peak).toBeLessThanOrEqual(-1);
    }
  }, SLOW_TEST_MS);

  it('tells ambient from drum and bass: onsets and spectrum differ', async () => {
    const ambient = await listen('dreamy ambient', 4, 10);
    const dnb = await listen('drum and bass', 4, 10);
    expect(estimateTempo(dnb.channels, RATE).bpm).toBeGreaterThan(165);
    expect(percussiveOnsetRate(dnb.channels, RATE)).toBeGreaterThan(percussiveOnsetRate(ambient.channels, RATE) + 1.5);
    expect(spectralStats(dnb.channels, RATE).highBandRatio).toBeGreaterThan(spectralStats(ambient.channels, RATE).highBandRatio);
  });
});
