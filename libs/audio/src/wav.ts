/**
 * RIFF/WAVE PCM codec: 16-bit integer encoding of float samples and a header reader
 * that tells format, rate, channels and duration from the bytes themselves.
 */

export interface WavInfo {
  format: 'pcm' | 'float' | 'other';
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** byte offset of the `data` chunk payload */
  dataOffset: number;
  /** byte length of the `data` chunk payload as the header declares it (the buffer may hold only a prefix) */
  dataLength: number;
  frames: number;
  durationSeconds: number;
}

const WAV_HEADER_BYTES = 44;

/** Size in bytes of a 16-bit PCM WAV file with `frames` frames of `channels` channels. */
export function wavPcm16ByteLength(frames: number, channels: number): number {
  return WAV_HEADER_BYTES + frames * channels * 2;
}

/** The 44-byte canonical header of a 16-bit PCM WAV file. */
export function wavPcm16Header(frames: number, channels: number, sampleRate: number): Buffer {
  const dataBytes = frames * channels * 2;
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** True when the host stores multi-byte integers little-endian, as WAV does. */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Float sample → 16-bit integer: clamped to [−1, 1], never wrapped; asymmetric scale so ±1 reach both extremes. */
function toInt16(s: number): number {
  s = s >= 1 ? 1 : s <= -1 ? -1 : s;
  // Same result as Math.round (ties toward +∞) — exact here, as a float32 times 2¹⁵ needs
  // at most 39 bits — but V8 compiles floor to a single instruction and round to several.
  return Math.floor((s < 0 ? s * 0x8000 : s * 0x7fff) + 0.5);
}

/** Stereo in one pass over the interleaved output (toInt16, written out for both channels). */
function writeStereo(left: Float32Array, right: Float32Array, out: Int16Array, start: number, frames: number): void {
  for (let i = 0, j = 0; i < frames; i++, j += 2) {
    let l = left[start + i];
    let r = right[start + i];
    l = l >= 1 ? 1 : l <= -1 ? -1 : l;
    r = r >= 1 ? 1 : r <= -1 ? -1 : r;
    out[j] = Math.floor((l < 0 ? l * 0x8000 : l * 0x7fff) + 0.5);
    out[j + 1] = Math.floor((r < 0 ? r * 0x8000 : r * 0x7fff) + 0.5);
  }
}

/**
 * Interleaves planar float channels (nominally -1..1) into 16-bit PCM, writing into
 * `target` at `offset`. Samples are clamped, never wrapped. Returns bytes written.
 */
export function writePcm16(channels: readonly Float32Array[], target: Buffer, offset: number, start = 0, end?: number): number {
  const frames = Math.max(0, (end ?? channels[0]?.length ?? 0) - start);
  const count = channels.length;
  const bytes = frames * count * 2;
  if (bytes === 0) return 0;
  if (LITTLE_ENDIAN_HOST && (target.byteOffset + offset) % 2 === 0) {
    // Fast path: the host's own int16 layout is the file's, so write through a typed view.
    const out = new Int16Array(target.buffer, target.byteOffset + offset, frames * count);
    if (count === 2) writeStereo(channels[0], channels[1], out, start, frames);
    else {
      for (let c = 0; c < count; c++) {
        const channel = channels[c];
        for (let i = 0, j = c; i < frames; i++, j += count) out[j] = toInt16(channel[start + i]);
      }
    }
  } else {
    const view = new DataView(target.buffer, target.byteOffset + offset, bytes);
    for (let c = 0; c < count; c++) {
      const channel = channels[c];
      for (let i = 0, pos = c * 2; i < frames; i++, pos += count * 2) view.setInt16(pos, toInt16(channel[start + i]), true);
    }
  }
  return bytes;
}

/** A complete 16-bit PCM WAV file from planar float channels of equal length. */
export function encodeWavPcm16(channels: readonly Float32Array[], sampleRate: number): Buffer {
  if (channels.length === 0) throw new RangeError('encodeWavPcm16 needs at least one channel');
  const frames = channels[0].length;
  if (channels.some((c) => c.length !== frames)) throw new RangeError('all channels must have the same length');
  const out = Buffer.alloc(wavPcm16ByteLength(frames, channels.length));
  wavPcm16Header(frames, channels.length, sampleRate).copy(out, 0);
  writePcm16(channels, out, WAV_HEADER_BYTES);
  return out;
}

/**
 * Reads the header of a RIFF/WAVE file (walking its chunks, so `LIST` and other
 * chunks before `data` are fine). Returns null when the bytes are not a WAV file.
 */
export function readWavInfo(bytes: Uint8Array): WavInfo | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return null;
  let pos = 12;
  let fmt: Pick<WavInfo, 'format' | 'channels' | 'sampleRate' | 'bitsPerSample'> | null = null;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ' && body + 16 <= buf.length) {
      const tag = buf.readUInt16LE(body);
      const extensible = tag === 0xfffe && size >= 26 && body + 26 <= buf.length ? buf.readUInt16LE(body + 24) : tag;
      fmt = {
        format: extensible === 1 ? 'pcm' : extensible === 3 ? 'float' : 'other',
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt || fmt.channels === 0 || fmt.sampleRate === 0 || fmt.bitsPerSample === 0) return null;
      // Streaming writers put 0 or 0xFFFFFFFF here; then the data runs to the end of the file.
      const declared = size === 0 || size === 0xffffffff ? buf.length - body : size;
      const dataLength = declared;
      const frameBytes = fmt.channels * (fmt.bitsPerSample / 8);
      const frames = Math.floor(dataLength / frameBytes);
      return { ...fmt, dataOffset: body, dataLength, frames, durationSeconds: frames / fmt.sampleRate };
    }
    pos = body + size + (size % 2);
  }
  return null;
}

/** Decodes a 16-bit PCM WAV file into planar float channels. */
export function decodeWavPcm16(bytes: Uint8Array): { sampleRate: number; channels: Float32Array[] } {
  const info = readWavInfo(bytes);
  if (!info || info.format !== 'pcm' || info.bitsPerSample !== 16) throw new Error('not a 16-bit PCM WAV file');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames = Math.min(info.frames, Math.floor((buf.length - info.dataOffset) / (info.channels * 2)));
  const channels = Array.from({ length: info.channels }, () => new Float32Array(frames));
  let pos = info.dataOffset;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < info.channels; c++) {
      const v = buf.readInt16LE(pos);
      channels[c][i] = v < 0 ? v / 0x8000 : v / 0x7fff;
      pos += 2;
    }
  }
  return { sampleRate: info.sampleRate, channels };
}
