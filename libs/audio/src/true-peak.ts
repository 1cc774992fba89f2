/**
 * True-peak measurement per ITU-R BS.1770-4 Annex 2: the signal is 4× oversampled
 * by a windowed-sinc interpolator (12 taps per phase, like the standard's 48-tap
 * filter) and the largest absolute value of the oversampled signal is the true peak.
 *
 * Only the three in-between phases need computing (phase 0 is the sample itself),
 * and only near loud samples: an interpolated value is at most
 * `TRUE_PEAK_WINDOW_GAIN` × the largest sample in its 12-sample window, so windows
 * whose samples are all below peak / TRUE_PEAK_WINDOW_GAIN cannot raise the peak and
 * are skipped. That keeps the meter exact while costing about one compare per sample.
 */

const TAPS = 12;
const HALF = TAPS / 2;
/** phase (1..3) × tap: weight of x[m − 5 + tap] in the interpolated value at m + phase/4 */
const PHASE_TAPS: Float64Array[] = [1, 2, 3].map((phase) => {
  const taps = new Float64Array(TAPS);
  let sum = 0;
  for (let i = 0; i < TAPS; i++) {
    const d = phase / 4 + (HALF - 1) - i;
    const sinc = Math.sin(Math.PI * d) / (Math.PI * d);
    const hann = 0.5 + 0.5 * Math.cos((Math.PI * d) / HALF);
    taps[i] = sinc * hann;
    sum += taps[i];
  }
  for (let i = 0; i < TAPS; i++) taps[i] /= sum; // unity gain at DC
  return taps;
});

/** Upper bound of |interpolated value| / max |sample in its window|. */
export const TRUE_PEAK_WINDOW_GAIN = Math.max(...PHASE_TAPS.map((t) => t.reduce((s, v) => s + Math.abs(v), 0)));

/**
 * Largest |value| of the 4× oversampled signal strictly between samples m and m+1.
 * Reads x[m−5 .. m+6]; indices outside the array count as silence.
 */
export function interSamplePeak(x: Float32Array, m: number): number {
  let peak = 0;
  const first = m - (HALF - 1);
  for (const taps of PHASE_TAPS) {
    let y = 0;
    for (let i = 0; i < TAPS; i++) {
      const j = first + i;
      if (j >= 0 && j < x.length) y += taps[i] * x[j];
    }
    const a = Math.abs(y);
    if (a > peak) peak = a;
  }
  return peak;
}

const RING = 16; // power of two ≥ TAPS

/** Streaming true-peak meter over consecutive chunks of planar audio. */
export class TruePeakMeter {
  private readonly rings: Float64Array[];
  private readonly lastLoud: number[];
  private peakValue = 0;
  private frames = 0;

  constructor(readonly channelCount: number) {
    this.rings = Array.from({ length: channelCount }, () => new Float64Array(RING));
    this.lastLoud = new Array<number>(channelCount).fill(-RING);
  }

  push(channels: readonly Float32Array[], start = 0, end = channels[0]?.length ?? 0): void {
    for (let c = 0; c < this.channelCount; c++) this.pushChannel(c, channels[c], start, end);
    this.frames += end - start;
  }

  private pushChannel(c: number, x: Float32Array, start: number, end: number): void {
    const ring = this.rings[c];
    let lastLoud = this.lastLoud[c];
    let peak = this.peakValue;
    let threshold = peak / TRUE_PEAK_WINDOW_GAIN;
    for (let i = start, n = this.frames; i < end; i++, n++) {
      const v = x[i];
      ring[n & (RING - 1)] = v;
      const a = v < 0 ? -v : v;
      if (a > peak) {
        peak = a;
        threshold = peak / TRUE_PEAK_WINDOW_GAIN;
      }
      if (a >= threshold) lastLoud = n;
      // the interval between samples n−6 and n−5 has its whole window n−11..n available
      if (lastLoud > n - TAPS) {
        const p = this.ringInterSamplePeak(ring, n - TAPS + 1);
        if (p > peak) {
          peak = p;
          threshold = peak / TRUE_PEAK_WINDOW_GAIN;
        }
      }
    }
    this.lastLoud[c] = lastLoud;
    this.peakValue = peak;
  }

  /** inter-sample peak whose 12-sample window starts at absolute index `first` */
  private ringInterSamplePeak(ring: Float64Array, first: number): number {
    let peak = 0;
    for (const taps of PHASE_TAPS) {
      let y = 0;
      for (let i = 0; i < TAPS; i++) y += taps[i] * ring[(first + i) & (RING - 1)];
      const a = Math.abs(y);
      if (a > peak) peak = a;
    }
    return peak;
  }

  /** Linear true peak so far, including the ring-out of the interpolator past the last sample. */
  peak(): number {
    let peak = this.peakValue;
    for (let c = 0; c < this.channelCount; c++) {
      // the last few intervals see silence after the end of the signal
      const ring = Float64Array.from(this.rings[c]);
      for (let k = 0; k < HALF; k++) {
        const n = this.frames + k;
        ring[n & (RING - 1)] = 0;
        peak = Math.max(peak, this.ringInterSamplePeak(ring, n - TAPS + 1));
      }
    }
    return peak;
  }
}

/** Linear → dB (−Infinity for 0). */
export function toDb(linear: number): number {
  return linear > 0 ? 20 * Math.log10(linear) : -Infinity;
}

/** True peak of planar audio, linear. */
export function truePeak(channels: readonly Float32Array[]): number {
  const meter = new TruePeakMeter(channels.length);
  meter.push(channels);
  return meter.peak();
}

/** True peak of planar audio in dBTP. */
export function truePeakDbtp(channels: readonly Float32Array[]): number {
  return toDb(truePeak(channels));
}

/** Largest absolute sample value over all channels, linear. */
export function samplePeak(channels: readonly Float32Array[]): number {
  let peak = 0;
  for (const x of channels) {
    for (let i = 0; i < x.length; i++) {
      const a = x[i] < 0 ? -x[i] : x[i];
      if (a > peak) peak = a;
    }
  }
  return peak;
}
