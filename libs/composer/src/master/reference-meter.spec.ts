/**
 * The master and our true-peak meter against the reference meter, ffmpeg's
 * `-af ebur128=peak=true`, on varied renders: every genre, several seeds,
 * durations and sample rates, written to WAV files as a listener gets them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the reference meter is a test tool outside every project, reached by path
import { measureEbur128, requireFfmpeg, type Ebur128Measurement } from '../../../../tools/reference/ffmpeg-ebur128.cjs';
import { GENRES } from '../plan';
import { GENRE_PROMPTS } from '../testing/genre-prompts';
import { MAX_TRUE_PEAK_DBTP, TARGET_LUFS } from './master';

interface Case {
  prompt: string;
  seed: number;
  durationSeconds: number;
  sampleRate: number;
}

/** Two renders per genre (44.1 and 48 kHz, 4–6 s, different seeds), and the edges: other rates, a short render, the funk piece that once began with a click. */
const CASES: Case[] = [
  ...GENRES.flatMap((genre, g) => [
    { prompt: GENRE_PROMPTS[genre], seed: g + 1, durationSeconds: 4 + (g % 3), sampleRate: 44100 },
    { prompt: GENRE_PROMPTS[genre], seed: 31 + 7 * g, durationSeconds: 6 - (g % 3), sampleRate: 48000 },
  ]),
  { prompt: 'happy funk groove in E major at 108 bpm with slap bass', seed: 3, durationSeconds: 6, sampleRate: 44100 },
  { prompt: 'drum and bass 174 bpm', seed: 9, durationSeconds: 1.5, sampleRate: 48000 },
  { prompt: 'rock with heavy drums', seed: 4, durationSeconds: 4, sampleRate: 22050 },
  { prompt: 'trap with 808', seed: 6, durationSeconds: 4, sampleRate: 32000 },
  { prompt: 'house 124 bpm', seed: 8, durationSeconds: 3.3, sampleRate: 16000 },
];

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * Renders the cases into dir/<index>.wav and reads each file back with our
 * meter, in a child process (plain node, as the server runs the engine: many
 * times faster than inside jest's sandbox). Per case: the true peak the render
 * reported and the one our meter reads from the file.
 */
function renderCases(cases: readonly Case[], dir: string): { reported: number; ours: number }[] {
  const script = `
    const { readFileSync, writeFileSync } = require('node:fs');
    const { renderMusic } = require(${JSON.stringify(path.join(ROOT, 'libs/composer/src/render.ts'))});
    const { decodeWavPcm16, truePeakDbtp } = require('@texttune/audio');
    (async () => {
      const [cases, dir] = JSON.parse(process.argv[1]);
      const results = [];
      for (const [index, c] of cases.entries()) {
        const file = dir + '/' + index + '.wav';
        const result = await renderMusic({ ...c, quality: 'draft' });
        writeFileSync(file, result.wav);
        const { channels, sampleRate } = decodeWavPcm16(readFileSync(file));
        results.push({ reported: result.truePeakDbtp, ours: truePeakDbtp(channels, sampleRate) });
      }
      process.stdout.write(JSON.stringify(results));
    })();`;
  const out = execFileSync(process.execPath, ['-r', path.join(ROOT, 'tools/build/register.cjs'), '-e', script, JSON.stringify([cases, dir])], { encoding: 'utf8' });
  return JSON.parse(out) as { reported: number; ours: number }[];
}

interface Measured extends Case {
  name: string;
  ours: number;
  reported: number;
  ffmpeg: Ebur128Measurement;
}

describe('mastering against ffmpeg ebur128', () => {
  const measured: Measured[] = [];
  let dir = '';

  beforeAll(async () => {
    requireFfmpeg();
    dir = mkdtempSync(path.join(tmpdir(), 'texttune-master-'));
    const results = renderCases(CASES, dir);
    for (const [index, c] of CASES.entries()) {
      measured.push({
        ...c,
        ...results[index],
        name: `"${c.prompt}" seed ${c.seed}, ${c.durationSeconds} s at ${c.sampleRate} Hz`,
        ffmpeg: await measureEbur128(path.join(dir, `${index}.wav`)),
      });
    }
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('our true-peak meter reads every file within 0.2 dB of ffmpeg', () => {
    const misses = measured
      .filter((m) => !(Math.abs(m.ours - m.ffmpeg.truePeakDbtp) <= 0.2))
      .map((m) => `${m.name}: ours ${m.ours.toFixed(2)} dBTP, ffmpeg ${m.ffmpeg.truePeakDbtp.toFixed(2)} dBTP`);
    expect(misses).toEqual([]);
    expect(measured).toHaveLength(CASES.length);
  });

  it('every render measures at most −1 dBTP by ffmpeg, and reports what it measures', () => {
    const overs = measured
      .filter((m) => !(m.ffmpeg.truePeakDbtp <= MAX_TRUE_PEAK_DBTP) || !(Math.abs(m.reported - m.ffmpeg.truePeakDbtp) <= 0.2))
      .map((m) => `${m.name}: ffmpeg ${m.ffmpeg.truePeakDbtp.toFixed(2)} dBTP, reported ${m.reported.toFixed(2)} dBTP`);
    expect(overs).toEqual([]);
  });

  it('every render is at −14 ± 0.5 LUFS by ffmpeg', () => {
    const off = measured
      .filter((m) => !(Math.abs(m.ffmpeg.integratedLufs - TARGET_LUFS) <= 0.5))
      .map((m) => `${m.name}: ffmpeg ${m.ffmpeg.integratedLufs.toFixed(2)} LUFS`);
    expect(off).toEqual([]);
  });
});
