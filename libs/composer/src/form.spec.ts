/**
 * Length, form, endings and loops, on real renders analysed sample by sample,
 * and on the composed scores.
 */
import { decodeWavPcm16, readWavInfo } from '@texttune/audio';
import { compose } from './compose/compose';
import { loopTempo } from './compose/form';
import { Score } from './compose/score';
import { interpretPrompt } from './prompt/interpret';
import { renderMusic, RenderRequest } from './render';
import { pitchClass } from './theory/pitch';

const base: RenderRequest = { prompt: 'lo-fi hip hop', durationSeconds: 10, sampleRate: 22050, seed: 3, quality: 'draft' };

/** RMS of frames [from, to) of both channels, in dBFS. */
function rmsDb(channels: Float32Array[], from: number, to: number): number {
  let energy = 0;
  for (const channel of channels) for (let i = from; i < to; i++) energy += channel[i] * channel[i];
  return 10 * Math.log10(energy / (channels.length * (to - from)) + 1e-20);
}

/** RMS of every whole second, in dBFS. */
function secondsDb(channels: Float32Array[], rate: number): number[] {
  const out: number[] = [];
  for (let s = 0; (s + 1) * rate <= channels[0].length; s++) out.push(rmsDb(channels, s * rate, (s + 1) * rate));
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function quantile(values: Float32Array, q: number): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** What sounds in each bar, timing jitter and velocities aside: the bar's notes by track, sixteenth and pitch. */
function barFingerprints(score: Score, tempoBpm: number, beatsPerBar: number): string[] {
  const step = 60 / tempoBpm / 4;
  const bar = step * 4 * beatsPerBar;
  const bars: string[][] = [];
  for (const track of score.tracks) {
    if (track.id === 'vinyl/texture') continue;
    for (const note of track.notes) {
      const index = Math.floor((note.start + 0.03) / bar);
      (bars[index] ??= []).push(`${track.id}@${Math.round((note.start - index * bar) / step)}:${note.midi}`);
    }
  }
  return Array.from(bars, (notes) => (notes ?? []).sort().join(' '));
}

describe('length', () => {
  it.each([[1], [37.3]])('renders exactly round(%s s × rate) frames', async (durationSeconds) => {
    const result = await renderMusic({ ...base, durationSeconds });
    const frames = Math.round(durationSeconds * base.sampleRate);
    expect(result.frames).toBe(frames);
    expect(readWavInfo(result.wav)).toMatchObject({ frames, sampleRate: base.sampleRate, channels: 2 });
  });

  it('refuses more than 300 s', async () => {
    await expect(renderMusic({ ...base, durationSeconds: 300.01 })).rejects.toThrow(/durationSeconds/);
  });

  // The suite's one long render: length, form and sections heard in the audio.
  it('renders 300 s to the frame, in sections that contrast: a breakdown clearly quieter than the themes around it', async () => {
    const sampleRate = 16000;
    const result = await renderMusic({ ...base, prompt: 'upbeat pop with drums', durationSeconds: 300, sampleRate });
    expect(result.frames).toBe(300 * sampleRate);
    expect(readWavInfo(result.wav)).toMatchObject({ frames: 300 * sampleRate });
    const form = result.plan.form!;
    expect(new Set(form.map((s) => s.section)).size).toBeGreaterThanOrEqual(5);
    expect(Math.max(...form.filter((s) => s.section !== 'outro').map((s) => s.bars))).toBeLessThanOrEqual(8);
    const barSeconds = (60 / result.plan.tempoBpm) * result.plan.beatsPerBar;
    const { channels } = decodeWavPcm16(result.wav);
    const levelOf = (index: number) => {
      const span = form[index];
      return rmsDb(channels, Math.round(span.startBar * barSeconds * sampleRate), Math.round((span.startBar + span.bars) * barSeconds * sampleRate));
    };
    const breakdown = form.findIndex((s) => s.section === 'breakdown');
    expect(breakdown).toBeGreaterThan(0);
    expect(levelOf(breakdown)).toBeLessThan(levelOf(breakdown - 1) - 2);
    expect(levelOf(breakdown)).toBeLessThan(levelOf(breakdown + 2) - 2);
    // Music until near the end: the last 5 s before the final ring are as loud as the piece.
    const seconds = secondsDb(channels, sampleRate);
    expect(seconds[seconds.length - 5]).toBeGreaterThan(median(seconds) - 6);
  }, 120_000);
});

describe('form', () => {
  it.each([['upbeat pop'], ['lo-fi hip hop'], ['calm ambient'], ['jazz trio']])('"%s" over 3 minutes: ≥ 3 kinds of section, no 8-bar pattern throughout', (prompt) => {
    const plan = interpretPrompt(prompt, 4);
    const score = compose(plan, 180);
    expect(new Set(score.sections!.map((s) => s.section)).size).toBeGreaterThanOrEqual(4);
    const bars = barFingerprints(score, plan.tempoBpm, plan.beatsPerBar);
    const windows = new Map<string, number>();
    for (let b = 0; b + 8 <= bars.length; b += 8) {
      const key = bars.slice(b, b + 8).join('|');
      windows.set(key, (windows.get(key) ?? 0) + 1);
    }
    const total = [...windows.values()].reduce((a, b) => a + b, 0);
    // No 8 bars come back more than a few times, and most bars are heard once.
    expect(Math.max(...windows.values())).toBeLessThanOrEqual(Math.max(2, total / 4));
    expect(new Set(bars).size).toBeGreaterThan(bars.length / 2);
  });

  it('varies a theme when it returns: the melody of A differs between its first and second time', () => {
    const plan = interpretPrompt('happy pop', 2);
    const score = compose(plan, 120);
    const barSeconds = (60 / plan.tempoBpm) * plan.beatsPerBar;
    const mains = score.sections!.filter((s) => s.section === 'main');
    expect(mains.length).toBeGreaterThanOrEqual(2);
    const melody = score.tracks.find((t) => t.source.type === 'instrument' && t.source.role === 'melody')!;
    const pitches = (span: (typeof mains)[number]) =>
      melody.notes.filter((n) => n.start >= span.startBar * barSeconds - 0.03 && n.start < (span.startBar + span.bars) * barSeconds - 0.03).map((n) => n.midi);
    expect(pitches(mains[0]).length).toBeGreaterThan(4);
    expect(pitches(mains[1])).not.toEqual(pitches(mains[0]));
  });

  it.each([[3], [10], [37.3], [180]])('ends on the tonic, struck where a proportionate ring is left (%s s)', (duration) => {
    const plan = interpretPrompt('pop in G major', 4);
    const score = compose(plan, duration);
    const bass = score.tracks.find((t) => t.source.type === 'instrument' && t.source.role === 'bass')!;
    const last = bass.notes[bass.notes.length - 1];
    expect(pitchClass(last.midi)).toBe(7);
    const ring = duration - last.start;
    expect(ring).toBeGreaterThanOrEqual(Math.min(0.8, duration / 2) - 1e-9);
    expect(ring).toBeLessThanOrEqual(Math.min(3, Math.max(0.8, duration * 0.1)) + 60 / plan.tempoBpm + 1e-9);
    // Nothing but the final chord sounds from there on.
    for (const track of score.tracks) for (const note of track.notes) if (note.start < last.start - 1e-6) expect(note.start + note.duration).toBeLessThanOrEqual(last.start + 1e-6);
  });

  it.each([['calm lo-fi hip hop'], ['slow sad piano ballad, 62 bpm'], ['house 124 bpm'], ['dreamy ambient'], ['cinematic orchestral']])(
    '"%s" at 10 s plays until near the end: the last 2 s are above −30 dBFS, the last frame silent',
    async (prompt) => {
      const { wav } = await renderMusic({ ...base, prompt });
      const { channels } = decodeWavPcm16(wav);
      const rate = base.sampleRate;
      expect(rmsDb(channels, 8 * rate, 10 * rate)).toBeGreaterThan(-30);
      expect(rmsDb(channels, 7 * rate, 8 * rate)).toBeGreaterThan(-24);
      for (const channel of channels) expect(Math.abs(channel[channel.length - 1])).toBeLessThan(1e-3);
    },
  );
});

describe('instruments', () => {
  const instrumentsOf = (prompt: string, duration = 10) => {
    const score = compose(interpretPrompt(prompt, 1), duration);
    return new Set(score.tracks.filter((t) => t.notes.length > 0).map((t) => (t.source.type === 'drum' ? 'drums' : t.source.instrument)));
  };

  it('gives "dark ambient drone with strings" its strings and no piano (or anything else it did not ask for)', () => {
    expect([...instrumentsOf('dark ambient drone with strings')]).toEqual(['strings']);
  });

  it.each([
    ['lo-fi hip hop, no drums', 'drums'],
    ['jazz trio without drums', 'drums'],
    ['calm lo-fi, no electric piano', 'electric-piano'],
    ['pop with no piano', 'piano'],
    ['ambient, no piano', 'piano'],
  ] as const)('"%s" has no %s', (prompt, absent) => {
    for (const duration of [10, 60]) expect(instrumentsOf(prompt, duration).has(absent)).toBe(false);
  });

  it.each([
    ['ambient with harp and bells', ['harp', 'bells']],
    ['lo-fi with acoustic guitar, bells and strings', ['acoustic-guitar', 'bells', 'strings']],
    ['cinematic piano, strings and brass with drums', ['piano', 'strings', 'brass', 'drums']],
    ['house with organ and synth bass', ['organ', 'synth-bass', 'drums']],
    ['chiptune with bells', ['chip', 'bells']],
  ] as const)('plays every instrument "%s" names', (prompt, named) => {
    for (const duration of [4, 10, 60]) {
      const heard = instrumentsOf(prompt, duration);
      for (const instrument of named) expect([duration, instrument, heard.has(instrument)]).toEqual([duration, instrument, true]);
    }
  });
});

describe('seamless loops', () => {
  it('fits the tempo to a whole number of bars, near the planned tempo', () => {
    expect(loopTempo(80, 4, 12)).toBe(80);
    const tempo = loopTempo(83, 4, 10);
    expect(((10 * tempo) / 60 / 4) % 1).toBeCloseTo(0, 9);
    expect(Math.abs(tempo / 83 - 1)).toBeLessThan(0.2);
    // 8 bars where that is only a little off: 7.6 bars at 76 bpm.
    expect(loopTempo(76, 4, 24)).toBeCloseTo(80, 9);
  });

  it.each([
    ['lo-fi hip hop loop', 8],
    ['dreamy ambient pads', 12],
    ['house 124 bpm', 7.9],
  ] as const)('"%s" (%s s): its last frame flows into its first, and it neither fades in nor out', async (prompt, durationSeconds) => {
    const rate = base.sampleRate;
    const result = await renderMusic({ ...base, prompt, durationSeconds, loop: true });
    expect(result.frames).toBe(Math.round(durationSeconds * rate));
    expect(result.plan.loop).toBe(true);
    expect(result.plan.form!.some((s) => s.section === 'intro' || s.section === 'outro')).toBe(false);
    const { channels } = decodeWavPcm16(result.wav);
    const n = channels[0].length;
    for (const channel of channels) {
      const steps = new Float32Array(n - 1);
      for (let i = 1; i < n; i++) steps[i - 1] = Math.abs(channel[i] - channel[i - 1]);
      expect(Math.abs(channel[0] - channel[n - 1])).toBeLessThanOrEqual(quantile(steps, 0.99));
    }
    const seconds = secondsDb(channels, rate);
    const typical = median(seconds);
    // The first second carries the end's reverb (wrapped), the last is not a fade.
    expect(Math.abs(seconds[0] - typical)).toBeLessThan(3);
    expect(Math.abs(rmsDb(channels, n - rate, n) - typical)).toBeLessThan(3);
    // No level step at the seam beyond what a bar line inside the loop has (the 50 ms either side compared;
    // the loop's last bar is a drum fill, whose last sixteenth may be a little quieter than a plain bar's).
    const bars = Math.round((durationSeconds * result.plan.tempoBpm) / 60 / result.plan.beatsPerBar);
    const w = Math.round(rate / 20);
    const stepAt = (frame: number) => Math.abs(rmsDb(channels, frame - w, frame) - rmsDb(channels, frame, frame + w));
    const inside = Array.from({ length: bars - 1 }, (_, b) => stepAt(Math.round(((b + 1) * n) / bars)));
    const seam = Math.abs(rmsDb(channels, n - w, n) - rmsDb(channels, 0, w));
    expect(seam).toBeLessThanOrEqual(Math.max(...inside) + 6);
  });

  it('is byte-identical for the same request, different for another seed', async () => {
    const request = { ...base, prompt: 'chiptune loop', durationSeconds: 4, loop: true };
    const a = await renderMusic(request);
    expect(a.wav.equals((await renderMusic(request)).wav)).toBe(true);
    expect(a.wav.equals((await renderMusic({ ...request, seed: 4 })).wav)).toBe(false);
  });
});
