import { PNG } from 'pngjs';

/** The size link previews (Open Graph, Twitter cards) show large images at. */
export const WAVEFORM_IMAGE_WIDTH = 1200;
export const WAVEFORM_IMAGE_HEIGHT = 630;

const BACKGROUND = [0x14, 0x12, 0x2b] as const;
const BAR = [0x8b, 0x7c, 0xf6] as const;
const BAR_COUNT = 150;
const PADDING = 60;

/**
 * A PNG picture of a waveform for link previews: mirrored bars, one per group of the
 * track's [min, max] peak pairs (each -1…1), centred on the middle line. A track without
 * peaks is a flat line.
 */
export function renderWaveformPng(peaks: readonly number[] | null, width = WAVEFORM_IMAGE_WIDTH, height = WAVEFORM_IMAGE_HEIGHT): Buffer {
  const png = new PNG({ width, height, colorType: 2, inputColorType: 6 });
  const pixels = png.data;
  for (let i = 0; i < pixels.length; i += 4) {
    pixels[i] = BACKGROUND[0];
    pixels[i + 1] = BACKGROUND[1];
    pixels[i + 2] = BACKGROUND[2];
    pixels[i + 3] = 0xff;
  }
  const fill = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
        const i = (y * width + x) * 4;
        pixels[i] = BAR[0];
        pixels[i + 1] = BAR[1];
        pixels[i + 2] = BAR[2];
      }
    }
  };
  const middle = Math.floor(height / 2);
  const halfHeight = middle - PADDING;
  const slot = (width - 2 * PADDING) / BAR_COUNT;
  const barWidth = Math.max(1, Math.floor(slot * 0.6));
  const pairs = peaks ? Math.floor(peaks.length / 2) : 0;
  for (let bar = 0; bar < BAR_COUNT; bar++) {
    let level = 0;
    if (pairs > 0) {
      const from = Math.floor((bar * pairs) / BAR_COUNT);
      const to = Math.max(from + 1, Math.floor(((bar + 1) * pairs) / BAR_COUNT));
      for (let p = from; p < to && p < pairs; p++) level = Math.max(level, Math.abs(peaks![2 * p]), Math.abs(peaks![2 * p + 1]));
    }
    // At least 2 px, so silence still reads as a line.
    const extent = Math.max(1, Math.round(Math.min(1, level) * halfHeight));
    const x = Math.round(PADDING + bar * slot);
    fill(x, middle - extent, x + barWidth, middle + extent);
  }
  return PNG.sync.write(png, { colorType: 2 });
}
