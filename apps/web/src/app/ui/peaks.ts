/**
 * Bar heights (0…1) for a waveform drawn with `count` bars, from the server's peaks:
 * PEAKS_LENGTH [min, max] pairs flattened. Each bar is the largest magnitude in its
 * span, scaled so the loudest bar is full height.
 */
export function barsFromPeaks(peaks: readonly number[] | null | undefined, count: number): number[] {
  if (!peaks?.length || count <= 0) return new Array<number>(Math.max(0, count)).fill(0);
  const pairs = Math.floor(peaks.length / 2) || 1;
  const bars: number[] = [];
  for (let bar = 0; bar < count; bar++) {
    const from = Math.floor((bar * pairs) / count);
    const to = Math.max(from + 1, Math.floor(((bar + 1) * pairs) / count));
    let peak = 0;
    for (let i = from; i < to && i < pairs; i++) {
      peak = Math.max(peak, Math.abs(peaks[2 * i] ?? 0), Math.abs(peaks[2 * i + 1] ?? 0));
    }
    bars.push(peak);
  }
  const loudest = Math.max(...bars);
  return loudest > 0 ? bars.map((v) => v / loudest) : bars;
}

/** The seek step of the arrow keys: 5 s, or a tenth of a short track. */
export function seekStep(duration: number): number {
  return duration > 0 ? Math.min(5, Math.max(0.5, duration / 10)) : 5;
}

/** Where a key press moves the playhead (`null`: the key does not seek). */
export function seekTarget(key: string, time: number, duration: number): number | null {
  const step = seekStep(duration);
  const clamp = (t: number) => Math.min(Math.max(0, t), Math.max(0, duration));
  switch (key) {
    case 'ArrowRight':
    case 'ArrowUp':
      return clamp(time + step);
    case 'ArrowLeft':
    case 'ArrowDown':
      return clamp(time - step);
    case 'PageUp':
      return clamp(time + duration / 4);
    case 'PageDown':
      return clamp(time - duration / 4);
    case 'Home':
      return 0;
    case 'End':
      return clamp(duration);
    default:
      return null;
  }
}
