/**
 * Developer CLI: render a prompt to a WAV file and print how it was understood.
 *
 *   cli "calm lo-fi hip hop in A minor" --seed 7 --duration 30 --samplerate 44100 --quality standard --out lofi.wav

 *   cli "lo-fi loop" --duration 16 --loop --out loop.wav
 *   cli "…" --stems lofi-stems/ --midi lofi.mid   (also: one float WAV per part, and the score as MIDI)
 *
 * Like the server, it plays the sampled parts from SOUNDFONT_PATH when that is set
 * (the bundled bank otherwise) and refuses, with one sentence, a path that is no SoundFont.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMidi } from './export/midi';
import { encodeWavFloat32, renderStems, stemFileName } from './export/stems';
import { MAX_DURATION_SECONDS, renderMusic, SUPPORTED_SAMPLE_RATES } from './render';
import { Quality, QUALITY } from './quality';
import { loadSoundFont, SoundFontError, soundFontPathProblem } from './soundfont/bank';

export const USAGE = `usage: cli <prompt> [--seed N] [--duration SECONDS] [--loop] [--samplerate HZ] [--quality draft|standard|high] [--out FILE] [--stems DIR] [--midi FILE]
  duration: up to ${MAX_DURATION_SECONDS} s; --loop: a seamless loop of whole bars
  sample rates: ${SUPPORTED_SAMPLE_RATES.join(', ')}
  SOUNDFONT_PATH: the SF2/SF3 bank for the sampled parts (standard and high quality); the bundled FluidR3Mono when unset`;

export interface CliOptions {
  prompt: string;
  seed: number;
  durationSeconds: number;
  sampleRate: number;
  quality: Quality;
  out: string;
  loop: boolean;
  /** folder for one WAV per part */
  stems?: string;
  /** file for the score as a Standard MIDI File */
  midi?: string;
}

const FLAGS = ['--seed', '--duration', '--samplerate', '--quality', '--out', '--prompt', '--stems', '--midi'] as const;
/** flags without a value */
const SWITCHES = ['--loop'] as const;

export function parseArgs(argv: readonly string[]): CliOptions {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if ((SWITCHES as readonly string[]).includes(arg)) {
      switches.add(arg);
    } else if ((FLAGS as readonly string[]).includes(arg)) {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      values.set(arg, value);
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}`);
    } else {
      words.push(arg);
    }
  }
  const prompt = values.get('--prompt') ?? words.join(' ');
  const number = (flag: string, fallback: number) => {
    const raw = values.get(flag);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n)) throw new Error(`${flag} must be a number, got ${raw}`);
    return n;
  };
  const quality = values.get('--quality') ?? 'standard';
  if (quality !== 'draft' && quality !== 'standard' && quality !== 'high') throw new Error(`--quality must be draft, standard or high, got ${quality}`);
  const seed = number('--seed', 1);
  return { prompt, seed, durationSeconds: number('--duration', 30), sampleRate: number('--samplerate', 44100), quality, out: values.get('--out') ?? `texttune-${seed}.wav`, loop: switches.has('--loop'), stems: values.get('--stems'), midi: values.get('--midi') };
}

/** Runs the CLI; resolves to the process exit code (2: bad arguments or SOUNDFONT_PATH, 1: the render failed). */
export async function main(argv: readonly string[], log: (line: string) => void = console.log, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    log(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!options.prompt.trim() && argv.length === 0) {
    log(USAGE);
    return 2;
  }
  const soundFontPath = env.SOUNDFONT_PATH?.trim() || undefined;
  if (soundFontPath) {
    const problem = soundFontPathProblem(soundFontPath);
    if (problem) {
      log(problem);
      return 2;
    }
  }
  // Loaded (once) only when the quality plays sampled parts; the mix and the stems share it.
  const renderOptions = soundFontPath && QUALITY[options.quality].sampled ? { soundFont: loadSoundFont(soundFontPath) } : {};
  const started = performance.now();
  try {
    const result = await renderMusic(options, renderOptions);
    writeFileSync(options.out, result.wav);
    const seconds = (performance.now() - started) / 1000;
    log(`plan: ${result.description}`);
    log(JSON.stringify(result.plan, null, 2));
    log(
      `wrote ${options.out}: ${result.frames} frames @ ${result.sampleRate} Hz stereo, ` +
        `${result.loudnessLufs.toFixed(1)} LUFS, ${result.truePeakDbtp.toFixed(1)} dBTP, rendered in ${seconds.toFixed(2)} s (${(options.durationSeconds / seconds).toFixed(0)}× real time)`,
    );
    if (options.midi) {
      writeFileSync(options.midi, renderMidi(options).midi);
      log(`wrote ${options.midi}`);
    }
    if (options.stems) {
      mkdirSync(options.stems, { recursive: true });
      for await (const stem of renderStems(options, renderOptions)) {
        const file = join(options.stems, stemFileName(stem.index, stem.part.name));
        writeFileSync(file, encodeWavFloat32(stem.left, stem.right, stem.sampleRate));
        log(`wrote ${file} (${stem.part.label}, 32-bit float, before mastering)`);
      }
    }
    if (renderOptions.soundFont) log(`sampled parts played from ${soundFontPath}`);
    return 0;
  } catch (error) {
    // A bank that passes the header check but does not parse: the same one sentence.
    if (error instanceof SoundFontError) {
      log(error.message);
      return 2;
    }
    log(`render failed: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  // A rejection is left unhandled on purpose: Node prints its stack and exits with status 1.
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
