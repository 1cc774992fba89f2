import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWavInfo } from '@texttune/audio';
import { main, parseArgs } from './cli';

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
});
