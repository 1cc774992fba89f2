import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** `input` (a WAV) re-encoded by ffmpeg with `codecArgs` into a file of `extension`: the MP3/FLAC/Ogg output an engine may give. */
export function ffmpegEncode(input: Buffer, extension: string, codecArgs: string[]): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'ffmpeg-encode-'));
  try {
    const source = path.join(dir, 'in.wav');
    const target = path.join(dir, `out.${extension}`);
    writeFileSync(source, input);
    const args = ['-hide_banner', '-nostats', '-nostdin', '-i', source, ...codecArgs, target];
    const result = spawnSync('ffmpeg', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw new Error(`ffmpeg could not run (apt-get install ffmpeg): ${result.error.message}`);
    if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${result.stderr}`);
    return readFileSync(target);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
