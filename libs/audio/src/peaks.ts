/** Waveform overview for drawing: the min and max sample of each of `count` equal slices. */
export interface PeakPair {
  min: number;
  max: number;
}

/**
 * Splits the signal into `count` slices of (nearly) equal length and returns the
 * smallest and largest sample of each slice over all channels. Slices of a signal
 * shorter than `count` frames are empty and read as { min: 0, max: 0 }.
 */
export function computePeaks(channels: readonly Float32Array[], count = 800): PeakPair[] {
  if (!Number.isInteger(count) || count <= 0) throw new RangeError(`count must be a positive integer, got ${count}`);
  const frames = channels[0]?.length ?? 0;
  const peaks: PeakPair[] = [];
  for (let slice = 0; slice < count; slice++) {
    const start = Math.floor((slice * frames) / count);
    const end = Math.floor(((slice + 1) * frames) / count);
    let min = start < end ? Infinity : 0;
    let max = start < end ? -Infinity : 0;
    for (const channel of channels) {
      for (let i = start; i < end; i++) {
        const v = channel[i];
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    peaks.push({ min, max });
  }
  return peaks;
}
