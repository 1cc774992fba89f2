import { sniffAudioFormat } from './sniff';
import { encodeWavPcm16 } from './wav';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffAudioFormat', () => {
  it.each([
    ['wav', encodeWavPcm16([new Float32Array(10)], 8000)],
    ['flac', bytes('fLaC', [0, 0, 0, 34])],
    ['ogg', bytes('OggS', [0, 2, 0, 0])],
    ['mp3', bytes('ID3', [4, 0, 0, 0, 0, 0, 0], [0xff, 0xfb, 0x90, 0x64])],
    ['mp3', bytes([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0])],
  ])('recognises %s', (format, head) => {
    expect(sniffAudioFormat(head)).toBe(format);
  });

  it.each([
    ['an HTML error page', bytes('<!DOCTYPE html><html><body>503</body></html>')],
    ['JSON', bytes('{"error":"quota"}')],
    ['a RIFF that is not WAVE', bytes('RIFF', [0, 0, 0, 0], 'AVI LIST')],
    ['an MP4 video', bytes([0, 0, 0, 0x18], 'ftypmp42')],
    ['nothing', bytes('')],
    ['an invalid frame header', bytes([0xff, 0xff, 0xff, 0xff])],
  ])('refuses %s', (_name, head) => {
    expect(sniffAudioFormat(head)).toBeNull();
  });
});
