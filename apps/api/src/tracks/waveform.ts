import { computePeaks, readWavInfo } from '@texttune/audio';
import { PEAKS_LENGTH } from '@texttune/contracts';

export interface DecodedAudio {
  sampleRate: number;
  channels: Float32Array[];
}

/** Reads one interleaved sample as -1…1, for the PCM and float encodings WAV files use. */
function sampleReader(bytes: Buffer, dataOffset: number, format: string, bits: number): ((index: number) => number) | null {
  const width = bits / 8;
  const at = (index: number) => dataOffset + index * width;
  if (format === 'pcm' && bits === 16) {
    const offset = bytes.byteOffset + dataOffset;
    if (offset % 2 === 0) {
      const view = new Int16Array(bytes.buffer, offset, Math.floor((bytes.length - dataOffset) / 2));
      return (i) => view[i] / 0x8000;
    }
    return (i) => bytes.readInt16LE(at(i)) / 0x8000;
  }
  if (format === 'pcm' && bits === 24) return (i) => bytes.readIntLE(at(i), 3) / 0x800000;
  if (format === 'pcm' && bits === 32) return (i) => bytes.readInt32LE(at(i)) / 0x80000000;
  if (format === 'pcm' && bits === 8) return (i) => (bytes[at(i)] - 128) / 128;
  if (format === 'float' && bits === 32) return (i) => bytes.readFloatLE(at(i));
  if (format === 'float' && bits === 64) return (i) => bytes.readDoubleLE(at(i));
  return null;
}

/** Decodes a WAV file (8/16/24/32-bit PCM, 32/64-bit float) into planar channels; null for anything else. */
export function decodeWav(bytes: Buffer): DecodedAudio | null {
  const info = readWavInfo(bytes);
  if (!info) return null;
  const read = sampleReader(bytes, info.dataOffset, info.format, info.bitsPerSample);
  if (!read) return null;
  const frames = Math.max(0, Math.min(info.frames, Math.floor((bytes.length - info.dataOffset) / (info.channels * (info.bitsPerSample / 8)))));
  const channels = Array.from({ length: info.channels }, () => new Float32Array(frames));
  for (let frame = 0, index = 0; frame < frames; frame++) {
    for (let c = 0; c < info.channels; c++) channels[c][frame] = read(index++);
  }
  return { sampleRate: info.sampleRate, channels };
}

/**
 * The stored form of a waveform: PEAKS_LENGTH slices, each its smallest and largest
 * sample over all channels, as signed bytes (value × 127) interleaved min, max.
 */
export function peaksOf(audio: DecodedAudio, count = PEAKS_LENGTH): Buffer {
  const pairs = computePeaks(audio.channels, count);
  const stored = Buffer.alloc(count * 2);
  pairs.forEach(({ min, max }, i) => {
    stored.writeInt8(toByte(min), i * 2);
    stored.writeInt8(toByte(max), i * 2 + 1);
  });
  return stored;
}

const toByte = (value: number) => Math.max(-127, Math.min(127, Math.round(value * 127)));

/**
 * The stored waveform of a WAV file straight from its bytes: 16-bit PCM (what engines
 * almost always give) is scanned in place, without decoding it first; other encodings go
 * through {@link decodeWav}. Null for anything that is not a WAV we read.
 */
export function wavPeaks(bytes: Buffer, count = PEAKS_LENGTH): Buffer | null {
  const info = readWavInfo(bytes);
  if (!info) return null;
  const offset = bytes.byteOffset + info.dataOffset;
  if (info.format !== 'pcm' || info.bitsPerSample !== 16 || offset % 2 !== 0) {
    const audio = decodeWav(bytes);
    return audio ? peaksOf(audio, count) : null;
  }
  const samples = new Int16Array(bytes.buffer, offset, Math.floor((bytes.length - info.dataOffset) / 2));
  const frames = Math.min(info.frames, Math.floor(samples.length / info.channels));
  const stored = Buffer.alloc(count * 2);
  for (let slice = 0; slice < count; slice++) {
    const start = Math.floor((slice * frames) / count) * info.channels;
    const end = Math.floor(((slice + 1) * frames) / count) * info.channels;
    if (start >= end) continue;
    let min = 32767;
    let max = -32768;
    for (let i = start; i < end; i++) {
      const v = samples[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    stored.writeInt8(toByte(min / 0x8000), slice * 2);
    stored.writeInt8(toByte(max / 0x8000), slice * 2 + 1);
  }
  return stored;
}

/** Stored peaks as the API's numbers in -1…1. */
export function peaksToNumbers(stored: Uint8Array): number[] {
  const signed = new Int8Array(stored.buffer, stored.byteOffset, stored.byteLength);
  return Array.from(signed, (v) => Math.round((v / 127) * 1000) / 1000);
}
