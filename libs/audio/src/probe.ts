/**
 * Proves that bytes are audio by walking their whole container, not just its first bytes:
 * RIFF/WAVE chunks, the MPEG frame chain, FLAC frames (header CRC-8 and frame CRC-16),
 * Ogg pages (CRC-32) with a Vorbis or Opus stream. Channels, rate and duration come from
 * the data actually present, never from a header's claim. Works on a whole buffer
 * ({@link probeAudio}) or chunk by chunk as a stream passes ({@link AudioProbe}), in
 * memory bounded by the largest page or frame, not by the file.
 */
import { AUDIO_MIME_TYPES, SNIFF_BYTES, sniffAudioFormat, type AudioFormat } from './sniff';

export type AudioCodec = 'pcm' | 'float' | 'alaw' | 'mulaw' | 'mp1' | 'mp2' | 'mp3' | 'flac' | 'vorbis' | 'opus';

/** What decoding the container found. */
export interface ProbedAudio {
  format: AudioFormat;
  mimeType: string;
  codec: AudioCodec;
  channels: number;
  /** Hz; Opus always decodes at 48 kHz */
  sampleRate: number;
  /** bits per sample for PCM, float and FLAC; null for lossy codecs */
  bitsPerSample: number | null;
  /** sample frames the data holds (per channel) */
  frames: number;
  durationSeconds: number;
}

export type AudioProbeResult = ({ ok: true } & ProbedAudio) | { ok: false; reason: string };

/** Plausible audio: what a reference or an engine's output can be. */
export const PROBE_LIMITS = {
  minChannels: 1,
  maxChannels: 8,
  minSampleRate: 8000,
  maxSampleRate: 192_000,
  /** RIFF chunks walked before a WAV file is refused (real files have a handful) */
  maxWavChunks: 256,
  /** FLAC metadata blocks read before the file is refused */
  maxFlacBlocks: 256,
  /** Ogg pages in a row that carry no packet data */
  maxEmptyOggPages: 64,
  /** ID3v2 tags in a row before the first MP3 frame */
  maxId3Tags: 16,
  /** MP3 frames that must chain from the first one (fewer only when the file ends first) */
  mp3ChainFrames: 3,
  /** bytes of junk tolerated before the first MP3 frame (after any ID3v2 tags) */
  mp3LeadingJunk: 2048,
} as const;

/** Thrown inside a parser: the bytes are not the audio they claim to be. */
class Refusal extends Error {}

function refuse(reason: string): never {
  throw new Refusal(reason);
}

const count = (n: number) => n.toLocaleString('en-US');

/** What a parser asks the driver for: the next chunk of bytes (null at the end). */
type Parser<T> = Generator<'more', T, Uint8Array | null>;

/**
 * A window over the stream: `buf[pos..]` is what has arrived and not been consumed;
 * `offset` is the file position of `buf[0]`.
 */
class Cursor {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  offset = 0;
  eof = false;

  get available(): number {
    return this.buf.length - this.pos;
  }

  /** file position of the next unconsumed byte */
  get at(): number {
    return this.offset + this.pos;
  }

  byte(i: number): number {
    return this.buf[this.pos + i];
  }

  u16le(i: number): number {
    return this.byte(i) | (this.byte(i + 1) << 8);
  }

  u32le(i: number): number {
    return (this.byte(i) | (this.byte(i + 1) << 8) | (this.byte(i + 2) << 16) | (this.byte(i + 3) << 24)) >>> 0;
  }

  u32be(i: number): number {
    return ((this.byte(i) << 24) | (this.byte(i + 1) << 16) | (this.byte(i + 2) << 8) | this.byte(i + 3)) >>> 0;
  }

  ascii(i: number, length: number): string {
    return String.fromCharCode(...this.buf.subarray(this.pos + i, this.pos + i + length));
  }

  append(chunk: Uint8Array): void {
    if (this.pos === this.buf.length) {
      this.offset += this.buf.length;
      this.buf = chunk;
    } else {
      const joined = new Uint8Array(this.available + chunk.length);
      joined.set(this.buf.subarray(this.pos), 0);
      joined.set(chunk, this.available);
      this.offset += this.pos;
      this.buf = joined;
    }
    this.pos = 0;
  }
}

/** Makes at least `n` bytes available; false when the stream ends first. */
function* fill(c: Cursor, n: number): Parser<boolean> {
  while (c.available < n && !c.eof) {
    const chunk = yield 'more';
    if (chunk === null) c.eof = true;
    else if (chunk.length) c.append(chunk);
  }
  return c.available >= n;
}

/** Consumes `n` bytes without keeping them; returns how many there were before the end. */
function* skip(c: Cursor, n: number): Parser<number> {
  const here = Math.min(n, c.available);
  c.pos += here;
  let rest = n - here;
  while (rest > 0 && !c.eof) {
    const chunk = yield 'more';
    if (chunk === null) {
      c.eof = true;
      break;
    }
    if (chunk.length <= rest) {
      rest -= chunk.length;
      c.offset += c.buf.length;
      c.buf = new Uint8Array(0);
      c.pos = 0;
      c.offset += chunk.length;
    } else {
      c.offset += c.buf.length;
      c.buf = chunk;
      c.pos = rest;
      rest = 0;
    }
  }
  return n - rest;
}

function checkLayout(name: string, channels: number, sampleRate: number): void {
  if (channels < PROBE_LIMITS.minChannels) refuse(`The ${name} file declares ${channels} channels.`);
  if (channels > PROBE_LIMITS.maxChannels) refuse(`The ${name} file declares ${channels} channels; at most ${PROBE_LIMITS.maxChannels} are supported.`);
  if (sampleRate < PROBE_LIMITS.minSampleRate || sampleRate > PROBE_LIMITS.maxSampleRate) {
    refuse(`The ${name} file declares a sample rate of ${count(sampleRate)} Hz; it must be between ${count(PROBE_LIMITS.minSampleRate)} and ${count(PROBE_LIMITS.maxSampleRate)} Hz.`);
  }
}

function result(format: AudioFormat, codec: AudioCodec, channels: number, sampleRate: number, bitsPerSample: number | null, frames: number): ProbedAudio {
  return { format, mimeType: AUDIO_MIME_TYPES[format], codec, channels, sampleRate, bitsPerSample, frames, durationSeconds: frames / sampleRate };
}

// ---------------------------------------------------------------- WAV

/** The tail of the KSDATAFORMAT_SUBTYPE GUIDs (PCM, IEEE float, …) after their 2-byte format tag. */
const SUBTYPE_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

const WAV_CODECS: Record<number, { codec: AudioCodec; bits: readonly number[] }> = {
  0x0001: { codec: 'pcm', bits: [8, 16, 24, 32] },
  0x0003: { codec: 'float', bits: [32, 64] },
  0x0006: { codec: 'alaw', bits: [8] },
  0x0007: { codec: 'mulaw', bits: [8] },
};

interface WavFormat {
  codec: AudioCodec;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
}

const isChunkName = (c: Cursor) => [0, 1, 2, 3].every((i) => c.byte(i) >= 0x20 && c.byte(i) <= 0x7e);

function readWavFormat(c: Cursor, size: number): WavFormat {
  if (size < 16) refuse(`The WAV file's fmt chunk is ${size} bytes long; it needs at least 16.`);
  let tag = c.u16le(0);
  const channels = c.u16le(2);
  const sampleRate = c.u32le(4);
  const blockAlign = c.u16le(12);
  const containerBits = c.u16le(14);
  let bitsPerSample = containerBits;
  if (tag === 0xfffe) {
    if (size < 40) refuse(`The WAV file's fmt chunk is WAVE_FORMAT_EXTENSIBLE but only ${size} bytes long; it needs 40.`);
    const validBits = c.u16le(18);
    if (!SUBTYPE_GUID_TAIL.every((b, i) => c.byte(26 + i) === b)) refuse("The WAV file's WAVE_FORMAT_EXTENSIBLE sub-format is not a known audio encoding.");
    tag = c.u16le(24);
    if (validBits > containerBits) refuse(`The WAV file declares ${validBits} valid bits in ${containerBits}-bit samples.`);
    if (validBits > 0) bitsPerSample = validBits;
  }
  const known = WAV_CODECS[tag];
  if (!known) refuse(`The WAV file's audio is encoded as format 0x${tag.toString(16).padStart(4, '0')}, which this server does not decode; use PCM or float WAV, FLAC, MP3 or Ogg.`);
  if (channels === 0) refuse('The WAV file declares 0 channels.');
  checkLayout('WAV', channels, sampleRate);
  if (containerBits === 0) refuse('The WAV file declares 0 bits per sample.');
  if (!known.bits.includes(containerBits)) refuse(`The WAV file declares ${containerBits}-bit ${known.codec} samples, which this server does not decode.`);
  if (blockAlign !== (channels * containerBits) / 8) refuse(`The WAV file's block size (${blockAlign} bytes) does not match ${channels} channels of ${containerBits} bits.`);
  return { codec: known.codec, channels, sampleRate, bitsPerSample, blockAlign };
}

function* probeWav(c: Cursor): Parser<ProbedAudio> {
  c.pos += 12; // RIFF, size, WAVE: checked by the sniff
  let format: WavFormat | null = null;
  let dataBytes: number | null = null;
  for (let chunks = 0; ; chunks++) {
    const at = c.at;
    if (!(yield* fill(c, 8))) {
      // Fewer than 8 bytes left: the end of the file (a pad byte or a few stray bytes after the audio).
      if (dataBytes !== null) break;
      if (!format) refuse('The WAV file ends before its fmt chunk; it holds no audio.');
      refuse('The WAV file ends before its data chunk; it holds no audio.');
    }
    if (chunks >= PROBE_LIMITS.maxWavChunks) refuse(`The WAV file has more than ${PROBE_LIMITS.maxWavChunks} chunks; it is not a plausible audio file.`);
    if (!isChunkName(c)) refuse(`The WAV file has a malformed chunk header at byte ${count(at)}${dataBytes === null ? '' : ', after its audio data'}; it is not one WAV file.`);
    const id = c.ascii(0, 4);
    const size = c.u32le(4);
    c.pos += 8;
    if (id === 'fmt ') {
      if (format) refuse('The WAV file has two fmt chunks.');
      if (!(yield* fill(c, Math.min(size, 40)))) refuse(`The WAV file's fmt chunk declares ${count(size)} bytes but the file ends after ${count(c.available)}.`);
      format = readWavFormat(c, size);
    } else if (id === 'data' && dataBytes === null) {
      if (!format) refuse("The WAV file's data chunk comes before its fmt chunk.");
      // Streaming writers leave 0 or 0xFFFFFFFF here: the data then runs to the end of the file.
      const open = size === 0 || size === 0xffffffff;
      const present = yield* skip(c, open ? Number.MAX_SAFE_INTEGER : size);
      if (!open && present < size) refuse(`The WAV file's data chunk declares ${count(size)} bytes but only ${count(present)} are present; the file is truncated.`);
      dataBytes = present;
      if (open) break;
      if (size % 2) yield* skip(c, 1);
      continue;
    }
    const skipped = yield* skip(c, size + (size % 2));
    if (skipped < size) refuse(`The WAV file's "${id.trim()}" chunk at byte ${count(at)} declares ${count(size)} bytes but the file ends after ${count(skipped)}.`);
  }
  const fmt = format as WavFormat;
  const frames = Math.floor(dataBytes / fmt.blockAlign);
  if (frames === 0) refuse('The WAV file holds no audio samples.');
  return result('wav', fmt.codec, fmt.channels, fmt.sampleRate, fmt.bitsPerSample, frames);
}

// ---------------------------------------------------------------- MP3

const MPEG_BITRATES_KBPS: Record<string, readonly number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MPEG_RATES: Record<number, readonly number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

interface MpegFrame {
  /** version bits: 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5 */
  version: number;
  layer: 1 | 2 | 3;
  sampleRate: number;
  channels: number;
  samples: number;
  length: number;
}

/** The MPEG audio frame header at `buf[i..i+4]`, or null when those bytes are not one. */
function readMpegFrameHeader(buf: Uint8Array, i: number): MpegFrame | null {
  if (i + 4 > buf.length || buf[i] !== 0xff || (buf[i + 1] & 0xe0) !== 0xe0) return null;
  const version = (buf[i + 1] >> 3) & 3;
  const layerBits = (buf[i + 1] >> 1) & 3;
  const bitrateIndex = buf[i + 2] >> 4;
  const rateIndex = (buf[i + 2] >> 2) & 3;
  const padding = (buf[i + 2] >> 1) & 1;
  const mode = buf[i + 3] >> 6;
  const emphasis = buf[i + 3] & 3;
  // Free-format (bitrate 0) frames have no computable length, so they cannot be chained.
  if (version === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3 || emphasis === 2) return null;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const bitrate = MPEG_BITRATES_KBPS[`${version === 3 ? 1 : 2}-${layer}`][bitrateIndex] * 1000;
  const sampleRate = MPEG_RATES[version][rateIndex];
  const samples = layer === 1 ? 384 : layer === 2 || version === 3 ? 1152 : 576;
  const length = layer === 1 ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4 : Math.floor(((samples / 8) * bitrate) / sampleRate) + padding;
  return { version, layer, sampleRate, channels: mode === 3 ? 1 : 2, samples, length };
}

const sameStream = (a: MpegFrame, b: MpegFrame) => a.version === b.version && a.layer === b.layer && a.sampleRate === b.sampleRate && a.channels === b.channels;

/** Tags that may follow the last frame: ID3v1, APEv2, Lyrics3, an appended ID3v2. */
const isTrailingTag = (c: Cursor) => ['TAG', 'APETAGEX', 'LYRICSBEGIN', 'ID3'].some((tag) => c.available >= tag.length && c.ascii(0, tag.length) === tag);

/** True when a Xing/Info or VBRI header fills the frame at the cursor (it holds no audio). */
function isVbrHeaderFrame(c: Cursor, frame: MpegFrame): boolean {
  const sideInfo = frame.version === 3 ? (frame.channels === 1 ? 17 : 32) : frame.channels === 1 ? 9 : 17;
  const xing = 4 + sideInfo;
  if (c.available >= xing + 4 && ['Xing', 'Info'].includes(c.ascii(xing, 4))) return true;
  return c.available >= 40 && c.ascii(36, 4) === 'VBRI';
}

/** Does a run of frames of one stream start at `buf[start..]`, as far as `buf` reaches? */
function chainsFrom(buf: Uint8Array, start: number, eof: boolean): boolean {
  const first = readMpegFrameHeader(buf, start);
  if (!first) return false;
  let at = start;
  for (let n = 0; n < PROBE_LIMITS.mp3ChainFrames; n++) {
    const frame = readMpegFrameHeader(buf, at);
    if (!frame || !sameStream(first, frame)) return false;
    at += frame.length;
    // The file ends within the run: a start all the same (a cut-off last frame is reported as truncation).
    if (at >= buf.length) return eof;
  }
  return true;
}

function* probeMp3(c: Cursor): Parser<ProbedAudio> {
  // ID3v2 tags: a 10-byte header, a syncsafe size, and a 10-byte footer when flagged.
  for (let tags = 0; (yield* fill(c, 10)) && c.ascii(0, 3) === 'ID3'; tags++) {
    if (tags >= PROBE_LIMITS.maxId3Tags) refuse(`The MP3 file starts with more than ${PROBE_LIMITS.maxId3Tags} ID3 tags; it is not a plausible audio file.`);
    const size = ((c.byte(6) & 0x7f) << 21) | ((c.byte(7) & 0x7f) << 14) | ((c.byte(8) & 0x7f) << 7) | (c.byte(9) & 0x7f);
    const total = 10 + size + (c.byte(5) & 0x10 ? 10 : 0);
    if ((yield* skip(c, total)) < total) refuse('The MP3 file ends inside its ID3 tag; it holds no audio.');
  }
  // The first frame: where a chain of frames starts, within a little leading junk.
  const window = PROBE_LIMITS.mp3LeadingJunk + PROBE_LIMITS.mp3ChainFrames * 2881;
  yield* fill(c, window);
  let start = -1;
  for (let i = 0; i <= Math.min(PROBE_LIMITS.mp3LeadingJunk, c.available - 4) && start < 0; i++) {
    if (chainsFrom(c.buf.subarray(c.pos), i, c.eof)) start = i;
  }
  if (start < 0) {
    const lone = c.available >= 4 && readMpegFrameHeader(c.buf, c.pos) !== null;
    refuse(lone ? `The MP3 file has no run of ${PROBE_LIMITS.mp3ChainFrames} consecutive valid frames; after its first frame header the bytes are not MPEG audio.` : 'The MP3 file has no valid MPEG audio frame at its start.');
  }
  c.pos += start;
  const first = readMpegFrameHeader(c.buf, c.pos) as MpegFrame;
  let frames = 0;
  let samples = 0;
  for (let index = 0; ; index++) {
    if (!(yield* fill(c, 4))) {
      if (c.available > 0 && !isTrailingTag(c)) refuse(`The MP3 file has ${c.available} stray bytes after its last frame.`);
      break;
    }
    const frame = readMpegFrameHeader(c.buf, c.pos);
    if (!frame || !sameStream(first, frame)) {
      if (isTrailingTag(c)) break;
      refuse(`The MP3 file's frame ${count(index + 1)} at byte ${count(c.at)} is not a valid MPEG audio frame${frame ? ' of the same stream' : ''}; the file is damaged.`);
    }
    if (!(yield* fill(c, frame.length))) refuse(`The MP3 file ends inside frame ${count(index + 1)} (at byte ${count(c.at)}); it is truncated.`);
    if (!(index === 0 && isVbrHeaderFrame(c, frame))) {
      frames++;
      samples += frame.samples;
    }
    c.pos += frame.length;
  }
  if (frames === 0) refuse('The MP3 file holds no audio frames.');
  const codec = first.layer === 3 ? 'mp3' : first.layer === 2 ? 'mp2' : 'mp1';
  return result('mp3', codec, first.channels, first.sampleRate, null, samples);
}

// ---------------------------------------------------------------- FLAC

const CRC8_TABLE = new Uint8Array(256).map((_, n) => {
  let crc = n;
  for (let k = 0; k < 8; k++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  return crc;
});
const CRC16_TABLE = new Uint16Array(256).map((_, n) => {
  let crc = n << 8;
  for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

interface StreamInfo {
  minBlock: number;
  maxBlock: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  totalSamples: number;
}

const FLAC_BLOCK_SIZES: Record<number, number> = { 1: 192, 2: 576, 3: 1152, 4: 2304, 5: 4608, 8: 256, 9: 512, 10: 1024, 11: 2048, 12: 4096, 13: 8192, 14: 16384, 15: 32768 };
const FLAC_RATES = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
const FLAC_BITS = [0, 8, 12, 0, 16, 20, 24, 32];
/** Longest frame header: sync 2, codes 2, coded number 7, block size 2, rate 2, CRC-8 1. */
const FLAC_HEADER_MAX = 16;

/**
 * The FLAC frame header at `buf[i..]` if it is one of this stream's (its CRC-8 holds and
 * it agrees with STREAMINFO): its first sample and block size. Null otherwise.
 */
function readFlacFrameHeader(buf: Uint8Array, i: number, info: StreamInfo): { firstSample: number; blockSize: number } | null {
  if (buf[i] !== 0xff || (buf[i + 1] & 0xfe) !== 0xf8 || i + 6 > buf.length) return null;
  const variable = buf[i + 1] & 1;
  const blockCode = buf[i + 2] >> 4;
  const rateCode = buf[i + 2] & 15;
  const channelCode = buf[i + 3] >> 4;
  const bitsCode = (buf[i + 3] >> 1) & 7;
  if (blockCode === 0 || rateCode === 15 || channelCode > 10 || bitsCode === 3 || buf[i + 3] & 1) return null;
  if ((channelCode < 8 ? channelCode + 1 : 2) !== info.channels) return null;
  if (bitsCode !== 0 && FLAC_BITS[bitsCode] !== info.bitsPerSample) return null;
  if (rateCode >= 1 && rateCode <= 11 && FLAC_RATES[rateCode] !== info.sampleRate) return null;
  // The frame or sample number, UTF-8 style: a lead byte telling the length, then 10xxxxxx bytes.
  let p = i + 4;
  const lead = buf[p++];
  let extra = 0;
  let number = 0;
  if (lead < 0x80) number = lead;
  else {
    for (let mask = 0x40; lead & mask && extra < 6; mask >>= 1) extra++;
    if (extra === 0 || lead === 0xfe || lead === 0xff) return null;
    number = lead & (0x3f >> extra);
    if (p + extra > buf.length) return null;
    for (let k = 0; k < extra; k++) {
      const b = buf[p++];
      if ((b & 0xc0) !== 0x80) return null;
      number = number * 64 + (b & 0x3f);
    }
  }
  let blockSize = FLAC_BLOCK_SIZES[blockCode] ?? 0;
  if (blockCode === 6 || blockCode === 7) {
    if (p + (blockCode - 5) > buf.length) return null;
    blockSize = (blockCode === 6 ? buf[p] : (buf[p] << 8) | buf[p + 1]) + 1;
    p += blockCode - 5;
  }
  if (rateCode >= 12) {
    const rateBytes = rateCode === 12 ? 1 : 2;
    if (p + rateBytes > buf.length) return null;
    const rate = rateCode === 12 ? buf[p] * 1000 : ((buf[p] << 8) | buf[p + 1]) * (rateCode === 13 ? 1 : 10);
    if (rate !== info.sampleRate) return null;
    p += rateBytes;
  }
  if (p >= buf.length) return null;
  let crc = 0;
  for (let k = i; k < p; k++) crc = CRC8_TABLE[crc ^ buf[k]];
  if (crc !== buf[p]) return null;
  const firstSample = variable ? number : number * info.maxBlock;
  return { firstSample, blockSize };
}

function readStreamInfo(c: Cursor): StreamInfo {
  const b = (i: number) => c.byte(i);
  const minBlock = (b(0) << 8) | b(1);
  const maxBlock = (b(2) << 8) | b(3);
  const sampleRate = (b(10) << 12) | (b(11) << 4) | (b(12) >> 4);
  const channels = ((b(12) >> 1) & 7) + 1;
  const bitsPerSample = (((b(12) & 1) << 4) | (b(13) >> 4)) + 1;
  const totalSamples = (b(13) & 15) * 2 ** 32 + c.u32be(14);
  if (sampleRate === 0) refuse('The FLAC file declares a sample rate of 0 Hz.');
  checkLayout('FLAC', channels, sampleRate);
  if (![8, 12, 16, 20, 24, 32].includes(bitsPerSample)) refuse(`The FLAC file declares ${bitsPerSample} bits per sample, which this server does not decode.`);
  if (minBlock < 16 || maxBlock < minBlock) refuse(`The FLAC file declares block sizes ${minBlock}–${maxBlock}, which are invalid.`);
  return { minBlock, maxBlock, sampleRate, channels, bitsPerSample, totalSamples };
}

function* probeFlac(c: Cursor): Parser<ProbedAudio> {
  c.pos += 4; // fLaC
  let info: StreamInfo | null = null;
  for (let blocks = 0, last = false; !last; blocks++) {
    if (blocks >= PROBE_LIMITS.maxFlacBlocks) refuse(`The FLAC file has more than ${PROBE_LIMITS.maxFlacBlocks} metadata blocks; it is not a plausible audio file.`);
    if (!(yield* fill(c, 4))) refuse('The FLAC file ends inside its metadata; it holds no audio.');
    last = (c.byte(0) & 0x80) !== 0;
    const type = c.byte(0) & 0x7f;
    const size = (c.byte(1) << 16) | (c.byte(2) << 8) | c.byte(3);
    c.pos += 4;
    if (blocks === 0 && (type !== 0 || size !== 34)) refuse('The FLAC file does not start with a STREAMINFO block.');
    if (type === 127) refuse('The FLAC file has an invalid metadata block.');
    if (type === 0 && blocks === 0) {
      if (!(yield* fill(c, 34))) refuse('The FLAC file ends inside its STREAMINFO block.');
      info = readStreamInfo(c);
    }
    if ((yield* skip(c, size)) < size) refuse('The FLAC file ends inside its metadata; it holds no audio.');
  }
  const stream = info as StreamInfo;
  // Frames carry no length: walk the bytes, keeping the CRC-16 of the current frame. A frame
  // ends where the next header of this stream begins (the sample count continues) and the
  // CRC-16 over the frame, its own footer included, comes out 0.
  yield* fill(c, FLAC_HEADER_MAX);
  const firstHeader = readFlacFrameHeader(c.buf.subarray(c.pos, c.pos + FLAC_HEADER_MAX), 0, stream);
  if (!firstHeader || firstHeader.firstSample !== 0) refuse('The FLAC file has no valid audio frame after its metadata (the frame header or its CRC-8 is wrong).');
  let frames = 1;
  let expected = firstHeader.blockSize;
  let frameStart = c.at;
  let crc = 0;
  for (;;) {
    yield* fill(c, FLAC_HEADER_MAX + 1);
    if (c.available === 0) break;
    const { buf, offset } = c;
    // Near the end of what has arrived, a header could be cut in two: wait for more bytes.
    const end = c.eof ? buf.length : buf.length - FLAC_HEADER_MAX;
    let i = c.pos;
    for (; i < end; i++) {
      const x = buf[i];
      if (x === 0xff && crc === 0 && offset + i > frameStart) {
        const header = readFlacFrameHeader(buf, i, stream);
        if (header && header.firstSample === expected) {
          frames++;
          expected += header.blockSize;
          frameStart = offset + i;
        }
      }
      crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[(crc >> 8) ^ x];
    }
    c.pos = i;
  }
  if (crc !== 0) refuse(`The FLAC file's frame ${count(frames)} fails its CRC-16 check or is cut short; the file is damaged or truncated.`);
  if (stream.totalSamples > 0 && expected < stream.totalSamples) {
    refuse(`The FLAC file declares ${count(stream.totalSamples)} samples but its frames hold ${count(expected)}; the file is truncated.`);
  }
  return result('flac', 'flac', stream.channels, stream.sampleRate, stream.bitsPerSample, stream.totalSamples > 0 ? Math.min(expected, stream.totalSamples) : expected);
}

// ---------------------------------------------------------------- Ogg

const CRC32_TABLE = new Uint32Array(256).map((_, n) => {
  let crc = n << 24;
  for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  return crc >>> 0;
});

function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : page[i];
    crc = ((crc << 8) ^ CRC32_TABLE[((crc >>> 24) ^ byte) & 0xff]) >>> 0;
  }
  return crc;
}

interface OggCodec {
  codec: 'vorbis' | 'opus';
  channels: number;
  sampleRate: number;
  /** samples to drop from the start (Opus pre-skip) */
  preSkip: number;
  /** header packets before the audio */
  headerPackets: number;
}

function readOggIdentification(packet: Uint8Array): OggCodec {
  const text = (i: number, n: number) => String.fromCharCode(...packet.subarray(i, i + n));
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  if (packet.length >= 30 && packet[0] === 1 && text(1, 6) === 'vorbis') {
    const channels = packet[11];
    const sampleRate = view.getUint32(12, true);
    if (view.getUint32(7, true) !== 0) refuse('The Ogg file carries a Vorbis stream of an unknown version.');
    if (channels === 0) refuse('The Ogg Vorbis stream declares 0 channels.');
    checkLayout('Ogg Vorbis', channels, sampleRate);
    const small = packet[28] & 15;
    const large = packet[28] >> 4;
    if (small < 6 || large > 13 || small > large || (packet[29] & 1) === 0) refuse('The Ogg Vorbis identification header is malformed.');
    return { codec: 'vorbis', channels, sampleRate, preSkip: 0, headerPackets: 3 };
  }
  if (packet.length >= 19 && text(0, 8) === 'OpusHead') {
    if (packet[8] >> 4 !== 0) refuse('The Ogg file carries an Opus stream of an unknown version.');
    const channels = packet[9];
    if (channels === 0) refuse('The Ogg Opus stream declares 0 channels.');
    checkLayout('Ogg Opus', channels, 48000);
    if (packet[18] === 0 && channels > 2) refuse('The Ogg Opus identification header is malformed.');
    return { codec: 'opus', channels, sampleRate: 48000, preSkip: view.getUint16(10, true), headerPackets: 2 };
  }
  if (packet.length >= 5 && packet[0] === 0x7f && text(1, 4) === 'FLAC') refuse('The Ogg file carries FLAC; upload it as a plain .flac file instead.');
  return refuse('The Ogg file carries neither Vorbis nor Opus audio.');
}

function* probeOgg(c: Cursor): Parser<ProbedAudio> {
  let stream: OggCodec | null = null;
  let serial = 0;
  let sequence = 0;
  let packets = 0;
  let lastGranule = 0;
  let emptyRun = 0;
  let ended = false;
  for (let page = 0; ; page++) {
    const at = c.at;
    if (!(yield* fill(c, 27))) {
      if (c.available > 0) refuse(`The Ogg file ends inside page ${count(page + 1)} (at byte ${count(at)}); it is truncated.`);
      break;
    }
    if (ended) refuse('The Ogg file has data after its end-of-stream page; it is not one audio stream.');
    if (c.ascii(0, 4) !== 'OggS' || c.byte(4) !== 0) refuse(`The Ogg file's page ${count(page + 1)} at byte ${count(at)} is not an Ogg page; the file is damaged.`);
    const flags = c.byte(5);
    const granuleLow = c.u32le(6);
    const granuleHigh = c.u32le(10);
    const pageSerial = c.u32le(14);
    const pageSequence = c.u32le(18);
    const storedCrc = c.u32le(22);
    const segments = c.byte(26);
    if (!(yield* fill(c, 27 + segments))) refuse(`The Ogg file ends inside page ${count(page + 1)} (at byte ${count(at)}); it is truncated.`);
    let bodyLength = 0;
    for (let s = 0; s < segments; s++) bodyLength += c.byte(27 + s);
    const total = 27 + segments + bodyLength;
    if (!(yield* fill(c, total))) refuse(`The Ogg file ends inside page ${count(page + 1)} (at byte ${count(at)}); it is truncated.`);
    const bytes = c.buf.subarray(c.pos, c.pos + total);
    if (oggCrc(bytes) !== storedCrc) refuse(`The Ogg file's page ${count(page + 1)} at byte ${count(at)} fails its CRC check; the file is damaged.`);
    if (page === 0) {
      if (!(flags & 2)) refuse('The Ogg file does not begin a stream on its first page.');
      serial = pageSerial;
      sequence = pageSequence;
      const firstPacket = bodyLength > 0 && c.byte(27 + segments - 1) < 255 ? bytes.subarray(27 + segments) : null;
      if (!firstPacket) refuse("The Ogg file's first page does not hold a whole identification header.");
      stream = readOggIdentification(firstPacket);
    } else {
      if (pageSerial !== serial) refuse('The Ogg file carries more than one stream; upload a file with one audio stream.');
      if (pageSequence !== sequence + 1) refuse(`The Ogg file is missing page ${count(sequence + 1)}; the file is damaged.`);
      sequence = pageSequence;
    }
    for (let s = 0; s < segments; s++) if (c.byte(27 + s) < 255) packets++;
    emptyRun = bodyLength === 0 ? emptyRun + 1 : 0;
    if (emptyRun > PROBE_LIMITS.maxEmptyOggPages) refuse(`The Ogg file has more than ${PROBE_LIMITS.maxEmptyOggPages} empty pages in a row; it is not a plausible audio file.`);
    // Granule -1 marks a page where no packet ends.
    if (!(granuleLow === 0xffffffff && granuleHigh === 0xffffffff)) {
      const granule = granuleHigh * 2 ** 32 + granuleLow;
      if (granule < lastGranule) refuse(`The Ogg file's page ${count(page + 1)} goes back in time; the file is damaged.`);
      lastGranule = granule;
    }
    ended = (flags & 4) !== 0;
    c.pos += total;
  }
  const codec = stream as OggCodec;
  if (!ended) refuse('The Ogg file has no end-of-stream page; it is truncated.');
  if (packets <= codec.headerPackets) refuse('The Ogg file holds no audio packets after its headers.');
  const frames = Math.max(0, lastGranule - codec.preSkip);
  if (frames === 0) refuse('The Ogg file holds no audio samples.');
  return result('ogg', codec.codec, codec.channels, codec.sampleRate, null, frames);
}

// ---------------------------------------------------------------- driver

function* probeParser(): Parser<ProbedAudio> {
  const c = new Cursor();
  yield* fill(c, SNIFF_BYTES);
  if (c.available === 0) refuse('The file is empty.');
  const format = sniffAudioFormat(c.buf.subarray(c.pos, c.pos + SNIFF_BYTES));
  switch (format) {
    case 'wav':
      return yield* probeWav(c);
    case 'mp3':
      return yield* probeMp3(c);
    case 'flac':
      return yield* probeFlac(c);
    case 'ogg':
      return yield* probeOgg(c);
    default:
      return refuse('The file is not WAV, MP3, FLAC or Ogg audio.');
  }
}

/**
 * Decodes a container as its bytes pass: `push` each chunk (it answers a refusal as soon
 * as one is certain, so a caller can stop reading), then `end` for the verdict.
 */
export class AudioProbe {
  private readonly parser = probeParser();
  private verdict: AudioProbeResult | null = null;

  constructor() {
    this.step(null, true);
  }

  /** Feeds the next bytes; returns the verdict once it is known (a refusal can come early). */
  push(chunk: Uint8Array): AudioProbeResult | null {
    if (!this.verdict && chunk.length) this.step(chunk);
    return this.verdict;
  }

  /** The stream ended: the verdict. */
  end(): AudioProbeResult {
    while (!this.verdict) this.step(null);
    return this.verdict;
  }

  private step(chunk: Uint8Array | null, start = false): void {
    try {
      const next = start ? this.parser.next() : this.parser.next(chunk);
      if (next.done) this.verdict = { ok: true, ...next.value };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.verdict = { ok: false, reason: error.message };
    }
  }
}

/** Decodes the container of a whole file in memory; see {@link AudioProbe}. */
export function probeAudio(bytes: Uint8Array): AudioProbeResult {
  const probe = new AudioProbe();
  probe.push(bytes);
  return probe.end();
}
