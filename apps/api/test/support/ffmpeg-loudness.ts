import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What ffmpeg's EBU R128 meter (`-af ebur128=peak=true`) says of a file: its summary. */
export interface FfmpegLoudness {
  integratedLufs: number;
  rangeLu: number;
  truePeakDbtp: number;
}

/** A temporary directory for the duration of `use`. */
function withTempDir<T>(use: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'ffmpeg-loudness-'));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(args: string[]): string {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-nostats', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${result.stderr}`);
  return result.stderr;
}

/** The reference measurement of audio bytes in any format ffmpeg reads. */
export function ffmpegLoudness(bytes: Buffer): FfmpegLoudness {
  return withTempDir((dir) => {
    const file = path.join(dir, 'audio');
    writeFileSync(file, bytes);
    const log = run(['-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-']);
    const summary = log.slice(log.lastIndexOf('Summary:'));
    const number = (pattern: RegExp) => {
      const match = pattern.exec(summary);
      if (!match) throw new Error(`ffmpeg's summary has no ${pattern.source}: ${summary}`);
      return Number(match[1]);
    };
    return { integratedLufs: number(/I:\s+(-?[\d.]+|-inf) LUFS/), rangeLu: number(/LRA:\s+(-?[\d.]+) LU/), truePeakDbtp: number(/Peak:\s+(-?[\d.]+|-inf) dBFS/) };
  });
}

/** `input` (a WAV) re-encoded by ffmpeg with `codecArgs` into a file of `extension`. */
export function ffmpegEncode(input: Buffer, extension: string, codecArgs: string[]): Buffer {
  return withTempDir((dir) => {
    const source = path.join(dir, 'in.wav');
    const target = path.join(dir, `out.${extension}`);
    writeFileSync(source, input);
    run(['-i', source, ...codecArgs, target]);
    return readFileSync(target);
  });
}
