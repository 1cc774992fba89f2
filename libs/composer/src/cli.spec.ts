import { Midi } from '@tonejs/midi';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWavInfo } from '@texttune/audio';
import { main, parseArgs } from './cli';
import { defaultSoundFontPath } from './soundfont/bank';

describe('cli', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'texttune-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders a prompt to a WAV file and prints the plan', async () => {
    const out = join(dir, 'out.wav');
    const lines: string[] = [];
    const code = await main(['calm', 'lo-fi', 'in', 'A', 'minor', '--seed', '7', '--duration', '2.5', '--samplerate', '16000', '--quality', 'draft', '--out', out], (l) => lines.push(l));
    expect(code).toBe(0);
    expect(readWavInfo(readFileSync(out))).toMatchObject({ channels: 2, sampleRate: 16000, frames: 40000 });
    expect(lines[0]).toMatch(/^plan: lo-fi hip hop · \d+ bpm · A minor · .*vinyl noise · calm$/);
    expect(JSON.parse(lines[1])).toMatchObject({ genre: 'lofi', seed: 7, key: { name: 'A minor' } });
  });

  it('explains bad arguments with exit code 2', async () => {
    const lines: string[] = [];
    expect(await main(['x', '--quality', 'ultra'], (l) => lines.push(l))).toBe(2);
    expect(lines.join('\n')).toContain('usage:');
    expect(await main(['x', '--bogus', '1'], () => undefined)).toBe(2);
    expect(await main([], () => undefined)).toBe(2);
  });

  it('fills defaults', () => {
    expect(parseArgs(['jazz'])).toEqual({ prompt: 'jazz', seed: 1, durationSeconds: 30, sampleRate: 44100, quality: 'standard', out: 'texttune-1.wav', loop: false, stems: undefined, midi: undefined });
  });

  it('renders a seamless loop with --loop, its tempo fitted to whole bars', async () => {
    const out = join(dir, 'loop.wav');
    const lines: string[] = [];
    expect(parseArgs(['lo-fi', '--loop', '--duration', '180']).loop).toBe(true);
    expect(await main(['lo-fi', '--loop', '--duration', '4', '--samplerate', '16000', '--quality', 'draft', '--out', out], (l) => lines.push(l))).toBe(0);
    expect(readWavInfo(readFileSync(out))).toMatchObject({ frames: 64000 });
    const plan = JSON.parse(lines[1]);
    expect(plan.loop).toBe(true);
    const bars = (4 * plan.tempoBpm) / 60 / plan.beatsPerBar;
    expect(Math.abs(bars - Math.round(bars))).toBeLessThan(1e-9);
    expect(lines[0]).toContain('seamless loop');
  });

  it('reports render errors with exit code 1', async () => {
    expect(await main(['jazz', '--samplerate', '12345', '--out', join(dir, 'x.wav')], () => undefined)).toBe(1);
  });

  describe('SOUNDFONT_PATH', () => {
    it('a missing or corrupt bank: one sentence naming it and what to do, exit code 2, nothing written', async () => {
      const corrupt = join(dir, 'notes.sf2');
      writeFileSync(corrupt, 'not a SoundFont');
      const damaged = join(dir, 'damaged.sf3');
      const bytes = Buffer.from(readFileSync(defaultSoundFontPath()));
      bytes.fill(0x20, bytes.length - 150_000);
      writeFileSync(damaged, bytes);
      const cases: [string, RegExp][] = [
        [join(dir, 'absent.sf2'), /absent\.sf2 does not exist or cannot be read/],
        [corrupt, /notes\.sf2 is not an SF2\/SF3 SoundFont/],
        [damaged, /damaged\.sf3 is damaged/],
      ];
      for (const [path, problem] of cases) {
        const out = join(dir, 'refused.wav');
        const lines: string[] = [];
        // Draft plays no sampled part, and is refused all the same: the configuration is wrong.
        for (const quality of ['standard', 'draft']) {
          expect(await main(['piano', '--duration', '1', '--quality', quality, '--out', out], (l) => lines.push(l), { SOUNDFONT_PATH: path })).toBe(2);
        }
        expect(lines).toHaveLength(2);
        for (const line of lines) {
          expect(line).toMatch(/^SOUNDFONT_PATH: /);
          expect(line).toMatch(problem);
          expect(line).toContain('point it at an SF2/SF3 General MIDI SoundFont, or unset it for the bundled bank');
        }
        expect(existsSync(out)).toBe(false);
      }
    });

    it('a 30 s piece with stems and MIDI, its sampled parts played from the bank SOUNDFONT_PATH names', async () => {
      const bank = join(dir, 'company-bank.sf3');
      copyFileSync(defaultSoundFontPath(), bank);
      const out = join(dir, 'ballad.wav');
      const stems = join(dir, 'stems');
      const midi = join(dir, 'ballad.mid');
      const lines: string[] = [];
      const args = ['piano ballad with strings', '--duration', '30', '--samplerate', '22050', '--out', out, '--stems', stems, '--midi', midi];
      expect(await main(args, (l) => lines.push(l), { SOUNDFONT_PATH: bank })).toBe(0);
      expect(lines).toContain(`sampled parts played from ${bank}`);
      expect(readWavInfo(readFileSync(out))).toMatchObject({ channels: 2, sampleRate: 22050, frames: 30 * 22050 });
      const parsed = new Midi(readFileSync(midi));
      const files = readdirSync(stems).sort();
      expect(files.length).toBe(parsed.tracks.length);
      expect(parsed.tracks.map((t) => t.name)).toEqual(expect.arrayContaining(['piano', 'strings']));
      for (const file of files) expect(readWavInfo(readFileSync(join(stems, file)))).toMatchObject({ sampleRate: 22050, frames: 30 * 22050 });
    }, 120_000);
  });
});
