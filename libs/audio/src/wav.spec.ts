import { decodeWavPcm16, encodeWavPcm16, readWavInfo, wavPcm16ByteLength } from './wav';

describe('wav', () => {
  it('round-trips planar float channels through 16-bit PCM', () => {
    const left = Float32Array.from([0, 0.5, -0.5, 1, -1]);
    const right = Float32Array.from([0.25, -0.25, 0, 0.999, -0.999]);
    const bytes = encodeWavPcm16([left, right], 22050);
    expect(bytes.length).toBe(wavPcm16ByteLength(5, 2));
    const decoded = decodeWavPcm16(bytes);
    expect(decoded.sampleRate).toBe(22050);
    decoded.channels[0].forEach((v, i) => expect(v).toBeCloseTo(left[i], 3));
    decoded.channels[1].forEach((v, i) => expect(v).toBeCloseTo(right[i], 3));
  });

  it('clamps out-of-range samples instead of wrapping', () => {
    const decoded = decodeWavPcm16(encodeWavPcm16([Float32Array.from([3, -3])], 8000));
    expect(Array.from(decoded.channels[0])).toEqual([1, -1]);
  });

  it('reads rate, channels and duration from the header, skipping other chunks', () => {
    const plain = encodeWavPcm16([new Float32Array(48000), new Float32Array(48000)], 48000);
    const list = Buffer.alloc(8 + 6);
    list.write('LIST', 0, 'ascii');
    list.writeUInt32LE(6, 4);
    const withList = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);
    for (const bytes of [plain, withList]) {
      const info = readWavInfo(bytes);
      expect(info).toMatchObject({ format: 'pcm', channels: 2, sampleRate: 48000, bitsPerSample: 16, frames: 48000 });
      expect(info?.durationSeconds).toBe(1);
    }
    expect(readWavInfo(plain.subarray(0, 64))?.durationSeconds).toBe(1);
  });

  it('answers null for bytes that are not WAV', () => {
    expect(readWavInfo(Buffer.from('ID3\u0004 not a wave file at all'))).toBeNull();
    expect(readWavInfo(Buffer.alloc(4))).toBeNull();
  });
});
