import { encodeWavPcm16 } from '@texttune/audio';
import { decodeWav, peaksOf, peaksToNumbers, wavPeaks } from './waveform';

/** A stereo test signal: a decaying 440 Hz tone left, a louder 110 Hz tone right. */
function signal(frames: number, rate = 44100): Float32Array[] {
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = 0.8 * Math.exp(-i / frames) * Math.sin((2 * Math.PI * 440 * i) / rate);
    right[i] = 0.5 * Math.sin((2 * Math.PI * 110 * i) / rate);
  }
  return [left, right];
}

/** The same audio as 32-bit float WAV. */
function floatWav(channels: Float32Array[], rate: number): Buffer {
  const frames = channels[0].length;
  const data = Buffer.alloc(frames * channels.length * 4);
  for (let i = 0; i < frames; i++) channels.forEach((c, ch) => data.writeFloatLE(c[i], (i * channels.length + ch) * 4));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(3, 20);
  header.writeUInt16LE(channels.length, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * channels.length * 4, 28);
  header.writeUInt16LE(channels.length * 4, 32);
  header.writeUInt16LE(32, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

describe('waveform peaks', () => {
  it('reads 16-bit PCM in place exactly as the general decoder does', () => {
    const wav = encodeWavPcm16(signal(44100), 44100);
    const fast = wavPeaks(wav)!;
    expect(fast).toHaveLength(1600);
    expect(fast.equals(peaksOf(decodeWav(wav)!))).toBe(true);
  });

  it('reads float WAV too, and follows the signal: loud early, quieter late', () => {
    const channels = signal(22050, 22050);
    const peaks = peaksToNumbers(wavPeaks(floatWav(channels, 22050))!);
    const pairs = Array.from({ length: 800 }, (_, i) => [peaks[i * 2], peaks[i * 2 + 1]]);
    expect(Math.max(...pairs.map(([, max]) => max))).toBeCloseTo(0.8, 1);
    expect(Math.min(...pairs.map(([min]) => min))).toBeCloseTo(-0.8, 1);
    // the decaying left tone dominates early (about 0.8); by the end the right tone's 0.5 is the loudest
    const loudest = (from: number, to: number) => Math.max(...pairs.slice(from, to).map(([, max]) => max));
    expect(loudest(0, 80)).toBeGreaterThan(0.75);
    expect(loudest(720, 800)).toBeGreaterThan(0.45);
    expect(loudest(720, 800)).toBeLessThan(0.55);
  });

  it('has no waveform for bytes that are not WAV', () => {
    expect(wavPeaks(Buffer.from('ID3\u0003 not a wav'))).toBeNull();
  });
});
