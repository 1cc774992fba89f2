/**
 * Woodwinds and choir: a prompt that names them gets them, with the General MIDI
 * program a player expects, in the MIDI file and in the sampled band alike; the
 * draft path plays them synthesised; "no choir" is obeyed.
 */
import { Midi } from '@tonejs/midi';
import { decodeWavPcm16, spectralStats } from '@texttune/audio';
import { STYLES } from '../compose/styles';
import { renderMidi } from '../export/midi';
import { InstrumentId } from '../plan';
import { composeRequest, renderMusic, RenderRequest } from '../render';
import { SampledBand } from './band';
import { loadSoundFont } from './bank';
import { prepareSampledParts } from './prepare';

const RATE = 22050;
const request = (prompt: string, seed = 1): RenderRequest => ({ prompt, durationSeconds: 12, sampleRate: RATE, seed, quality: 'standard' });

/** GM programs (0-based) and the FluidR3 preset names that sound them. */
const EXPECTED: { prompt: string; instrument: InstrumentId; program: number; preset: RegExp }[] = [
  { prompt: 'orchestral film score with a flute', instrument: 'flute', program: 73, preset: /flute/i },
  { prompt: '플루트가 있는 오케스트라 영화음악', instrument: 'flute', program: 73, preset: /flute/i },
  { prompt: 'epic orchestral with choir', instrument: 'choir', program: 52, preset: /choir|ahh/i },
  { prompt: '웅장한 합창과 현악기', instrument: 'choir', program: 52, preset: /choir|ahh/i },
  { prompt: 'dreamy ambient choir', instrument: 'choir', program: 53, preset: /voice|ohh/i },
  { prompt: 'cinematic cue with clarinet', instrument: 'clarinet', program: 71, preset: /clarinet/i },
  { prompt: 'sad oboe melody over strings', instrument: 'oboe', program: 68, preset: /oboe/i },
  { prompt: 'orchestral with bassoon', instrument: 'bassoon', program: 70, preset: /bassoon/i },
  { prompt: 'jazz trio with saxophone', instrument: 'saxophone', program: 66, preset: /tenor sax/i },
  { prompt: 'happy funk with alto sax', instrument: 'saxophone', program: 65, preset: /alto sax/i },
];

describe('woodwinds and choir', () => {
  it.each(EXPECTED)('"$prompt" has a $instrument part on GM program $program in the MIDI file', ({ prompt, instrument, program }) => {
    const { midi, plan, score } = renderMidi(request(prompt));
    expect(plan.instruments).toContain(instrument);
    const parts = score.tracks.filter((t) => t.source.type === 'instrument' && t.source.instrument === instrument);
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((t) => t.notes.length > 0)).toBe(true);
    // Read back with a third-party parser: every track of the instrument carries its program.
    const tracks = new Midi(midi).tracks.filter((t) => t.name.startsWith(instrument));
    expect(tracks).toHaveLength(parts.length);
    for (const track of tracks) {
      expect(track.instrument.number).toBe(program);
      expect(track.notes.length).toBeGreaterThan(0);
    }
  });

  it.each(EXPECTED.filter((_, i) => i % 2 === 0))('the sampled band plays "$prompt"\'s $instrument from its preset', async ({ prompt, instrument, preset }) => {
    const soundFont = await loadSoundFont();
    const { plan, score } = composeRequest(request(prompt));
    const style = STYLES[plan.genre];
    await prepareSampledParts(soundFont, score, plan, style, RATE, async () => undefined);
    const block = 1024;
    const band = new SampledBand(score, plan, style, soundFont, RATE, block, 'linear');
    const indices = score.tracks.flatMap((t, i) => (t.source.type === 'instrument' && t.source.instrument === instrument ? [i] : []));
    expect(indices.length).toBeGreaterThan(0);
    for (const index of indices) expect(band.plays(index)).toBe(true);
    // Its preset is the one the MIDI file names, and it sounds: render the piece's first 12 s.
    const program = new Midi(renderMidi(request(prompt)).midi).tracks.find((t) => t.name.startsWith(instrument))!.instrument.number;
    expect(soundFont.melodic(program)?.name).toMatch(preset);
    const energy = indices.map(() => 0);
    for (let start = 0; start < 12 * RATE; start += block) {
      band.renderBlock(start, block);
      indices.forEach((index, k) => {
        const { left, right } = band.output(index)!;
        for (let i = 0; i < block; i++) energy[k] += left[i] * left[i] + right[i] * right[i];
      });
    }
    for (const e of energy) expect(e).toBeGreaterThan(1);
  }, 60_000);

  it('the draft path plays them synthesised, audibly, and differently from the sampled render', async () => {
    const prompt = 'solo flute, 90 bpm';
    const draft = await renderMusic({ ...request(prompt), durationSeconds: 6, quality: 'draft' });
    const sampled = await renderMusic({ ...request(prompt), durationSeconds: 6 });
    expect(draft.plan.instruments).toEqual(['flute']);
    expect(draft.loudnessLufs).toBeGreaterThan(-15);
    const draftStats = spectralStats(decodeWavPcm16(draft.wav).channels, RATE);
    const sampledStats = spectralStats(decodeWavPcm16(sampled.wav).channels, RATE);
    expect(draftStats.rms).toBeGreaterThan(0.05);
    expect(Math.abs(draftStats.centroidHz - sampledStats.centroidHz) / sampledStats.centroidHz).toBeGreaterThan(0.05);
  }, 60_000);

  it('a style that likes them may add them; "no choir" / "합창 없이" leaves the choir out', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const withChoir = seeds.filter((seed) => composeRequest(request('cinematic orchestral', seed)).plan.instruments.includes('choir'));
    expect(withChoir.length).toBeGreaterThan(0);
    for (const seed of withChoir) {
      for (const prompt of ['cinematic orchestral, no choir', '오케스트라 영화음악, 합창 없이']) {
        const { plan, score } = composeRequest(request(prompt, seed));
        expect(plan.instruments).not.toContain('choir');
        expect(score.tracks.some((t) => t.source.type === 'instrument' && t.source.instrument === 'choir')).toBe(false);
      }
    }
    expect(composeRequest(request('lo-fi with flute, no saxophone', 3)).plan.instruments).toEqual(expect.arrayContaining(['flute']));
    expect(composeRequest(request('lo-fi with flute, no saxophone', 3)).plan.instruments).not.toContain('saxophone');
  });

  it('a woodwind the prompt names plays a tune over the genre\'s own harmony, and extra woodwinds play figures, not rival tunes', () => {
    const { plan, score } = composeRequest(request('orchestral with flute, clarinet and oboe', 2));
    expect(plan.instruments).toEqual(expect.arrayContaining(['flute', 'clarinet', 'oboe', 'strings']));
    const roles = score.tracks.filter((t) => t.source.type === 'instrument').map((t) => t.id);
    expect(roles.filter((id) => id.endsWith('/melody'))).toEqual(['flute/melody']);
    expect(roles).toEqual(expect.arrayContaining(['clarinet/arp', 'oboe/arp']));
    expect(roles.some((id) => id.endsWith('/chords') || id.endsWith('/pad'))).toBe(true);
  });
});
