import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeWavPcm16, RealFft, spectralStats } from '@texttune/audio';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the reference meter is a test tool outside every project, reached by path
import { measureEbur128, requireFfmpeg } from '../../../../tools/reference/ffmpeg-ebur128.cjs';
import { compose } from '../compose/compose';
import { STYLES } from '../compose/styles';
import { interpretPrompt } from '../prompt/interpret';
import { QUALITY } from '../quality';
import { renderMusic } from '../render';
import { synthesize } from '../synth/engine';
import { defaultSoundFontPath, loadSoundFont, SoundFontError } from './bank';
import { prepareSampledParts } from './prepare';

const RATE = 44100;

/** Power per octave band (63 Hz … 16 kHz), in dB relative to the total: the spectral envelope. */
function octaveEnvelope(signal: Float32Array): number[] {
  const fft = new RealFft(4096);
  const spectrum = new Float32Array(fft.size / 2 + 1);
  const centres = [63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000];
  const bands = new Array<number>(centres.length).fill(0);
  for (let start = 0; start + fft.size <= signal.length; start += fft.size) {
    fft.powerSpectrum(signal, start, spectrum);
    for (let k = 1; k < spectrum.length; k++) {
      const hz = (k * RATE) / fft.size;
      const band = centres.findIndex((c) => hz >= c / Math.SQRT2 && hz < c * Math.SQRT2);
      if (band >= 0) bands[band] += spectrum[k];
    }
  }
  const total = bands.reduce((a, b) => a + b, 0);
  return bands.map((p) => 10 * Math.log10(p / total + 1e-12));
}

/** The piano part of a piano piece, rendered through the mixer with or without the SoundFont. */
async function pianoPart(sampled: boolean): Promise<Float32Array> {
  const plan = interpretPrompt('classical piano nocturne', 5);
  const score = compose(plan, 8);
  const style = STYLES[plan.genre];
  const soundFont = sampled ? await loadSoundFont() : undefined;
  if (soundFont) await prepareSampledParts(soundFont, score, plan, style, RATE, async () => undefined);
  const left = new Float32Array(8 * RATE);
  const right = new Float32Array(8 * RATE);
  await synthesize(score, plan, style, QUALITY.standard, { left, right, sampleRate: RATE }, () => undefined, soundFont);
  const mid = new Float32Array(left.length);
  for (let i = 0; i < mid.length; i++) mid[i] = 0.5 * (left[i] + right[i]);
  return mid;
}

describe('sampled instruments (SoundFont)', () => {
  it('a piano part played from the SoundFont differs measurably from the synthesised piano', async () => {
    const plan = interpretPrompt('classical piano nocturne', 5);
    expect(plan.instruments).toEqual(['piano']);
    const synthesised = await pianoPart(false);
    const sampled = await pianoPart(true);
    const a = octaveEnvelope(synthesised);
    const b = octaveEnvelope(sampled);
    const differences = a.map((db, i) => Math.abs(db - b[i]));
    // The additive piano stops at its 7th partial; the recorded one has its full
    // spectrum: several octave bands differ by more than 6 dB.
    expect(differences.filter((d) => d > 6).length).toBeGreaterThanOrEqual(2);
    expect(differences.reduce((x, y) => x + y, 0) / differences.length).toBeGreaterThan(3);
    const centroidSynth = spectralStats([synthesised], RATE).centroidHz;
    const centroidSampled = spectralStats([sampled], RATE).centroidHz;
    expect(Math.abs(centroidSampled - centroidSynth) / centroidSynth).toBeGreaterThan(0.15);
    // Both are audible at comparable levels (the sampled part is matched to the synthesised patch).
    const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    expect(20 * Math.log10(rms(sampled) / rms(synthesised))).toBeGreaterThan(-6);
    expect(20 * Math.log10(rms(sampled) / rms(synthesised))).toBeLessThan(6);
  }, 120_000);

  it('renders byte-identically for the same seed, whatever was rendered before, and differently for another seed', async () => {
    const request = { prompt: 'orchestral film score with piano', durationSeconds: 4, sampleRate: RATE, seed: 11, quality: 'standard' as const };
    const first = await renderMusic(request);
    await renderMusic({ ...request, prompt: 'power ballad', seed: 3 });
    const again = await renderMusic(request);
    expect(again.wav.equals(first.wav)).toBe(true);
    const other = await renderMusic({ ...request, seed: 12 });
    expect(other.wav.equals(first.wav)).toBe(false);
    // The SoundFont synthesizer's filter state is per sample rate: a render at another rate in between changes nothing.
    const at48k = await renderMusic({ ...request, sampleRate: 48000 });
    await renderMusic({ ...request, sampleRate: 22050 });
    expect((await renderMusic({ ...request, sampleRate: 48000 })).wav.equals(at48k.wav)).toBe(true);
    // Draft keeps every part synthesised.
    const draft = await renderMusic({ ...request, quality: 'draft' });
    expect(draft.wav.equals(first.wav)).toBe(false);
  }, 120_000);

  it('a sampled render is mastered to −14 LUFS and ≤ −1 dBTP, as ffmpeg measures it', async () => {
    requireFfmpeg();
    const result = await renderMusic({ prompt: 'power ballad with piano and strings', durationSeconds: 12, sampleRate: RATE, seed: 4, quality: 'standard' });
    expect(result.plan.instruments).toEqual(expect.arrayContaining(['piano', 'strings', 'drums']));
    const ffmpeg = await measureEbur128(result.wav);
    expect(Math.abs(ffmpeg.integratedLufs - -14)).toBeLessThanOrEqual(0.5);
    expect(ffmpeg.truePeakDbtp).toBeLessThanOrEqual(-1 + 0.2);
    const { channels } = decodeWavPcm16(result.wav);
    expect(spectralStats(channels, RATE).rms).toBeGreaterThan(0.05);
  }, 120_000);

  describe('SOUNDFONT_PATH', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'soundfont-spec-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a missing file rejects with one SoundFontError naming it', async () => {
      const missing = path.join(dir, 'missing.sf2');
      await expect(loadSoundFont(missing)).rejects.toThrow(new SoundFontError(`SOUNDFONT_PATH: ${missing} does not exist or cannot be read`));
    });

    it('a file that is not a SoundFont, or a damaged one, rejects with a SoundFontError saying what is wrong', async () => {
      const text = path.join(dir, 'text.sf2');
      writeFileSync(text, 'just some text, not a bank');
      await expect(loadSoundFont(text)).rejects.toThrow(/^SOUNDFONT_PATH: .*text\.sf2 is not an SF2\/SF3 SoundFont/);
      const damaged = path.join(dir, 'damaged.sf3');
      const bytes = Buffer.from(readFileSync(defaultSoundFontPath()));
      bytes.fill(0x20, bytes.length - 150_000);
      writeFileSync(damaged, bytes);
      await expect(loadSoundFont(damaged)).rejects.toBeInstanceOf(SoundFontError);
      await expect(renderMusic({ prompt: 'piano', durationSeconds: 1, sampleRate: RATE, seed: 1, quality: 'standard' }, { soundFont: loadSoundFont(damaged) })).rejects.toThrow(/damaged/);
    });

    it('any other SF2/SF3 file is loaded once per path and shared', async () => {
      const copy = path.join(dir, 'copy.sf3');
      copyFileSync(defaultSoundFontPath(), copy);
      const a = loadSoundFont(copy);
      expect(loadSoundFont(copy)).toBe(a);
      const bank = await a;
      expect(bank.path).toBe(copy);
      expect(bank.melodic(0)?.name).toMatch(/piano/i);
      expect(bank.drumKit(0)).toBeDefined();
    });
  });
});
