/**
 * The tempo of a rendered piece as independent detectors hear it: `aubio tempo`
 * (aubio-tools), `bpm` (bpm-tools, fed raw float samples by ffmpeg) and our own
 * estimator (@texttune/audio). Used by the pulse test and the offline-engine
 * benchmark; needs the Debian packages ffmpeg, aubio-tools and bpm-tools.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWavPcm16, estimateTempo } from '@texttune/audio';

/** The command-line tools the reference detectors need, with the Debian package of each. */
export const REFERENCE_TEMPO_TOOLS = [
  { command: 'aubio', package: 'aubio-tools' },
  { command: 'bpm', package: 'bpm-tools' },
  { command: 'ffmpeg', package: 'ffmpeg' },
] as const;

/**
 * The range `bpm` searches. Its default (84–146 bpm) cannot report the slow and
 * fast tempos a prompt may ask for; this range holds them all and does not depend
 * on the tempo asked, so it gives the detector no hint.
 */
export const BPM_TOOL_RANGE = { min: 50, max: 200 } as const;

/** How close a detected tempo must be to the asked one to count as found. */
export const TEMPO_TOLERANCE_BPM = 2;

/** A sentence naming every missing tool and its package, or undefined when all are installed. */
export function missingTempoTools(): string | undefined {
  const missing = REFERENCE_TEMPO_TOOLS.filter(({ command }) => spawnSync('/bin/sh', ['-c', `command -v ${command}`]).status !== 0);
  if (!missing.length) return undefined;
  return (
    `missing reference tempo tool(s): ${missing.map((t) => `\`${t.command}\` (Debian package ${t.package})`).join(', ')}; ` +
    `install with \`apt-get install ${missing.map((t) => t.package).join(' ')}\``
  );
}

export interface DetectedTempos {
  aubio: number;
  bpmTools: number;
  ours: number;
}

/** Runs the three detectors on a 16-bit PCM WAV file's bytes. */
export function detectTempos(wav: Buffer): DetectedTempos {
  const dir = mkdtempSync(join(tmpdir(), 'texttune-tempo-'));
  try {
    const file = join(dir, 'piece.wav');
    writeFileSync(file, wav);
    const aubioOut = execFileSync('aubio', ['tempo', '-i', file], { encoding: 'utf8' });
    const aubio = Number(/([\d.]+)\s*bpm/.exec(aubioOut)?.[1] ?? NaN);
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-ac', '1', '-ar', '44100', '-f', 'f32le', '-'], { maxBuffer: 1 << 30 });
    const bpmOut = execFileSync('bpm', ['-m', String(BPM_TOOL_RANGE.min), '-x', String(BPM_TOOL_RANGE.max)], { input: raw, encoding: 'utf8' });
    const bpmTools = Number(bpmOut.trim());
    const { channels, sampleRate } = decodeWavPcm16(wav);
    const ours = estimateTempo(channels, sampleRate).bpm;
    return { aubio, bpmTools, ours };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How a detected tempo relates to the asked one: 'hit' within the tolerance,
 * otherwise the metrical confusion it is (half, double, 2/3, 3/2, third, triple)
 * or plainly 'miss'. Only 'hit' counts as finding the tempo.
 */
export type TempoVerdict = 'hit' | 'half' | 'double' | 'two-thirds' | 'three-halves' | 'third' | 'triple' | 'miss';

const OCTAVE_RATIOS: [Exclude<TempoVerdict, 'hit' | 'miss'>, number][] = [
  ['half', 1 / 2], ['double', 2], ['two-thirds', 2 / 3], ['three-halves', 3 / 2], ['third', 1 / 3], ['triple', 3],
];

export function tempoVerdict(asked: number, detected: number): TempoVerdict {
  if (!Number.isFinite(detected) || detected <= 0) return 'miss';
  if (Math.abs(detected - asked) <= TEMPO_TOLERANCE_BPM) return 'hit';
  for (const [name, ratio] of OCTAVE_RATIOS) if (Math.abs(detected - asked * ratio) <= TEMPO_TOLERANCE_BPM * Math.max(1, ratio)) return name;
  return 'miss';
}

/** "118.6 ✓", "60.2 half", "97.0 ✗" */
export function describeDetection(asked: number, detected: number): string {
  const verdict = tempoVerdict(asked, detected);
  const value = Number.isFinite(detected) ? detected.toFixed(1) : '—';
  return `${value} ${verdict === 'hit' ? '✓' : verdict === 'miss' ? '✗' : verdict}`;
}
