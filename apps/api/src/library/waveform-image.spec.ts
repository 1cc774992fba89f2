import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { WAVEFORM_IMAGE_HEIGHT, WAVEFORM_IMAGE_WIDTH, renderWaveformPng } from './waveform-image';

const pixel = (png: PNG, x: number, y: number) => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)];
const BACKGROUND = [0x14, 0x12, 0x2b];
const BAR = [0x8b, 0x7c, 0xf6];

describe('the waveform image of link previews', () => {
  it('draws loud parts as tall bars and quiet parts as short ones, on a 1200×630 PNG', () => {
    // first half loud (±0.9), second half quiet (±0.1)
    const peaks = Array.from({ length: 800 }, (_, i) => (i < 400 ? 0.9 : 0.1) * (i % 2 ? 1 : -1));
    const png = PNG.sync.read(renderWaveformPng(peaks));
    expect([png.width, png.height]).toEqual([WAVEFORM_IMAGE_WIDTH, WAVEFORM_IMAGE_HEIGHT]);
    const middle = WAVEFORM_IMAGE_HEIGHT / 2;
    const column = (x: number) => Array.from({ length: WAVEFORM_IMAGE_HEIGHT }, (_, y) => pixel(png, x, y)).filter((p) => p.join() === BAR.join()).length;
    const loud = column(62);
    const quiet = column(WAVEFORM_IMAGE_WIDTH - 66);
    expect(loud).toBeGreaterThan(0.85 * (middle - 60) * 2);
    expect(quiet).toBeGreaterThan(0);
    expect(quiet).toBeLessThan(0.15 * (middle - 60) * 2);
    expect(pixel(png, 5, 5)).toEqual(BACKGROUND);
  });

  it('draws a flat line without peaks', () => {
    const png = PNG.sync.read(renderWaveformPng(null));
    expect(pixel(png, 62, WAVEFORM_IMAGE_HEIGHT / 2)).toEqual(BAR);
    expect(pixel(png, 62, WAVEFORM_IMAGE_HEIGHT / 2 - 3)).toEqual(BACKGROUND);
  });

  it('is a PNG that ffmpeg decodes to the same pixels', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'texttune-png-'));
    try {
      const file = path.join(dir, 'w.png');
      const bytes = renderWaveformPng(Array.from({ length: 800 }, (_, i) => Math.sin(i / 30) * 0.8));
      writeFileSync(file, bytes);
      const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 16 << 20 });
      const ours = PNG.sync.read(bytes);
      const expected = Buffer.alloc(ours.width * ours.height * 3);
      for (let i = 0, j = 0; i < ours.data.length; i += 4, j += 3) ours.data.copy(expected, j, i, i + 3);
      expect(rgb.length).toBe(expected.length);
      expect(rgb.equals(expected)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
