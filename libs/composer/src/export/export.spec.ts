import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Midi } from '@tonejs/midi';
import { parseMidi } from 'midi-file';
import { readWavInfo } from '@texttune/audio';
import { main } from '../cli';
import { master } from '../master/master';
import { renderMusic, RenderRequest } from '../render';
import { GENRE_PROMPTS } from '../testing/genre-prompts';
import { GM_DRUM_KEYS, partProgram, renderMidi, TICKS_PER_BEAT } from './midi';
import { scoreParts } from './parts';
import { encodeWavFloat32, renderPreMasterMix, renderStems } from './stems';

/** tonejs/midi names a key signature by its major key, whatever the mode. */
const SHARP_MAJOR_KEYS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];
const RELATIVE_MAJOR: Record<string, string> = {
  'A minor': 'C', 'E minor': 'G', 'B minor': 'D', 'F# minor': 'A', 'C# minor': 'E', 'G# minor': 'B',
  'D minor': 'F', 'G minor': 'Bb', 'C minor': 'Eb', 'F minor': 'Ab', 'Bb minor': 'Db', 'Eb minor': 'Gb',
};

const request = (prompt: string, overrides: Partial<RenderRequest> = {}): RenderRequest => ({ prompt, durationSeconds: 6, sampleRate: 22050, seed: 11, quality: 'standard', ...overrides });

describe('MIDI export', () => {
  const prompts = ['lo-fi hip hop in A minor with piano and bass', 'jazz waltz with acoustic guitar in Eb major', GENRE_PROMPTS.cinematic, GENRE_PROMPTS.techno, 'dark trap in C# minor'];

  it.each(prompts)('parses with @tonejs/midi and matches the plan and score: %s', (prompt) => {
    const { midi, plan, score } = renderMidi(request(prompt, { durationSeconds: 12 }));
    const parsed = new Midi(midi);
    expect(parsed.header.ppq).toBe(TICKS_PER_BEAT);
    expect(parsed.header.tempos).toHaveLength(1);
    expect(parsed.header.tempos[0].bpm).toBeCloseTo(plan.tempoBpm, 3);
    expect(parsed.header.timeSignatures.map((t) => t.timeSignature)).toEqual([[plan.beatsPerBar, 4]]);
    const [keySignature] = parsed.header.keySignatures;
    expect(keySignature.scale).toBe(plan.key.mode);
    expect(keySignature.key).toBe(plan.key.mode === 'major' ? plan.key.name.split(' ')[0] : RELATIVE_MAJOR[plan.key.name]);
    expect(SHARP_MAJOR_KEYS).toContain(keySignature.key);

    // A conductor track (tonejs/midi drops it), then one track per part (the vinyl texture has no notes to write).
    const parts = scoreParts(score).filter((part) => part.instrument !== 'vinyl');
    const raw = parseMidi(midi);
    expect(raw.header).toMatchObject({ format: 1, numTracks: parts.length + 1 });
    expect(raw.tracks[0].some((event) => event.type === 'noteOn')).toBe(false);
    const tracks = parsed.tracks;
    expect(tracks.map((t) => t.name)).toEqual(parts.map((p) => p.label));
    parts.forEach((part, i) => {
      const track = tracks[i];
      if (part.instrument === 'drums') {
        expect(track.channel).toBe(9);
        expect(track.instrument.percussion).toBe(true);
      } else {
        expect(track.channel).not.toBe(9);
        expect(track.instrument.number).toBe(partProgram(part, plan));
      }
      const scoreNotes = part.tracks.flatMap((t) => t.notes.map((note) => ({ ...note, key: t.source.type === 'drum' ? GM_DRUM_KEYS[t.source.piece] : note.midi })));
      expect(track.notes).toHaveLength(scoreNotes.length);
      // Notes as played, key by key: start (swing included) and velocity; one tick is under 3 ms at 40 bpm.
      const byStart = (a: { start: number; key: number }, b: { start: number; key: number }) => a.key - b.key || a.start - b.start;
      const expected = scoreNotes.map((n) => ({ start: n.start, key: n.key, velocity: n.velocity })).sort(byStart);
      const actual = track.notes.map((n) => ({ start: n.time, key: n.midi, velocity: n.velocity })).sort(byStart);
      const tick = 60 / plan.tempoBpm / TICKS_PER_BEAT;
      actual.forEach((note, j) => {
        expect(Math.abs(note.start - expected[j].start)).toBeLessThanOrEqual(tick);
        expect(note.key).toBe(expected[j].key);
        expect(Math.abs(note.velocity - expected[j].velocity)).toBeLessThanOrEqual(1 / 127);
      });
    });
    expect(parsed.duration).toBeLessThanOrEqual(score.durationSeconds + 1e-3);
    expect(parts.length).toBeGreaterThanOrEqual(3);
  });

  it('is the same file for the same request, and another for another seed', () => {
    const a = renderMidi(request('funky groove with electric piano')).midi;
    expect(renderMidi(request('funky groove with electric piano')).midi.equals(a)).toBe(true);
    expect(renderMidi(request('funky groove with electric piano', { seed: 12 })).midi.equals(a)).toBe(false);
  });
});

describe('stems', () => {
  it.each([
    ['lo-fi hip hop with piano and vinyl crackle', 44100, false],
    [GENRE_PROMPTS.cinematic, 48000, false],
    [GENRE_PROMPTS.house, 22050, false],
    [GENRE_PROMPTS.ambient, 32000, false],
    // A loop's stems carry their tails wrapped onto the start, as its mix does.
    ['lo-fi hip hop loop with piano', 22050, true],
  ])('sum to the pre-master mix within −60 dB: %s at %i Hz (loop: %s)', async (prompt, sampleRate, loop) => {
    const req = { ...request(prompt, { sampleRate }), ...(loop ? { loop: true } : {}) };
    const mix = await renderPreMasterMix(req);
    const frames = Math.round(req.durationSeconds * sampleRate);
    expect(mix.left).toHaveLength(frames);
    const sumL = new Float64Array(frames);
    const sumR = new Float64Array(frames);
    const names: string[] = [];
    const stemEnergies: number[] = [];
    for await (const stem of renderStems(req)) {
      names.push(stem.part.name);
      expect(stem.left).toHaveLength(frames);
      expect(stem.right).toHaveLength(frames);
      let energy = 0;
      for (let i = 0; i < frames; i++) {
        sumL[i] += stem.left[i];
        sumR[i] += stem.right[i];
        energy += stem.left[i] ** 2 + stem.right[i] ** 2;
      }
      stemEnergies.push(energy);
    }
    let error = 0;
    let signal = 0;
    for (let i = 0; i < frames; i++) {
      error += (sumL[i] - mix.left[i]) ** 2 + (sumR[i] - mix.right[i]) ** 2;
      signal += mix.left[i] ** 2 + mix.right[i] ** 2;
    }
    expect(signal).toBeGreaterThan(0);
    expect(10 * Math.log10(error / signal)).toBeLessThan(-60);
    // Every part is heard, and none is the whole mix.
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const energy of stemEnergies) {
      expect(energy).toBeGreaterThan(0);
      expect(energy).toBeLessThan(signal);
    }
  });

  it('the pre-master mix is what renderMusic masters: same plan, deterministic per seed', async () => {
    const req = request('reggae with organ', { durationSeconds: 3 });
    const a = await renderPreMasterMix(req);
    const b = await renderPreMasterMix(req);
    expect(Buffer.from(a.left.buffer).equals(Buffer.from(b.left.buffer))).toBe(true);
    const rendered = await renderMusic(req);
    expect(a.plan).toEqual(rendered.plan);
    // Mastered, it is the very WAV renderMusic makes: the stems belong to the stored track.
    expect((await master(a.left.slice(), a.right.slice(), req.sampleRate, () => undefined)).wav.equals(rendered.wav)).toBe(true);
    const other = await renderPreMasterMix({ ...req, seed: 12 });
    expect(Buffer.from(a.left.buffer).equals(Buffer.from(other.left.buffer))).toBe(false);
  });

  it('writes 32-bit float WAV that ffprobe reads at full length', () => {
    const left = Float32Array.from({ length: 12345 }, (_, i) => 1.5 * Math.sin(i / 10));
    const right = Float32Array.from(left, (x) => -x);
    const wav = encodeWavFloat32(left, right, 44100);
    expect(readWavInfo(wav)).toMatchObject({ format: 'float', bitsPerSample: 32, channels: 2, sampleRate: 44100, frames: 12345 });
    const dir = mkdtempSync(join(tmpdir(), 'texttune-stem-'));
    try {
      const file = join(dir, 'stem.wav');
      writeFileSync(file, wav);
      const probed = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,channels,sample_rate,duration_ts', '-of', 'json', file]).toString());
      expect(probed.streams[0]).toMatchObject({ codec_name: 'pcm_f32le', channels: 2, sample_rate: '44100', duration_ts: 12345 });
      // ffmpeg decodes the same samples, above full scale included.
      const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-']);
      const decoded = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
      expect(decoded[2 * 16]).toBe(left[16]);
      expect(decoded[2 * 16 + 1]).toBe(right[16]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cli --stems --midi', () => {
  it('writes one WAV per part, as long as the mix, and a MIDI file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'texttune-cli-parts-'));
    try {
      const lines: string[] = [];
      const args = ['synth', 'pop', '--seed', '3', '--duration', '2', '--samplerate', '16000', '--out', join(dir, 'mix.wav'), '--stems', join(dir, 'stems'), '--midi', join(dir, 'song.mid')];
      expect(await main(args, (l) => lines.push(l))).toBe(0);
      const files = readdirSync(join(dir, 'stems')).sort();
      expect(files[0]).toMatch(/^01-[a-z0-9-]+\.wav$/);
      expect(files.length).toBeGreaterThanOrEqual(3);
      for (const file of files) expect(readWavInfo(readFileSync(join(dir, 'stems', file)))).toMatchObject({ format: 'float', frames: 32000, sampleRate: 16000 });
      expect(readWavInfo(readFileSync(join(dir, 'mix.wav')))?.frames).toBe(32000);
      expect(new Midi(readFileSync(join(dir, 'song.mid'))).tracks.length).toBe(files.filter((f) => !f.includes('vinyl')).length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
