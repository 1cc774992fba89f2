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

/*
 * The interpolators in symmetric form. Phase 2 is symmetric; phase 3 is phase 1
 * reversed. With s_i = x_i + x_(11−i) and d_i = x_i − x_(11−i) (i = 0..5):
 *   y2 = Σ h2_i·s_i,   y1 = P + Q,   y3 = P − Q,
 *   P = Σ ½(h1_i + h1_(11−i))·s_i,   Q = Σ ½(h1_i − h1_(11−i))·d_i,
 * 18 multiplies for the three phases instead of 36.
 */
const [E0, E1, E2, E3, E4, E5] = [0, 1, 2, 3, 4, 5].map((i) => 0.5 * (PHASE_TAPS[0][i] + PHASE_TAPS[0][TAPS - 1 - i]));
const [O0, O1, O2, O3, O4, O5] = [0, 1, 2, 3, 4, 5].map((i) => 0.5 * (PHASE_TAPS[0][i] - PHASE_TAPS[0][TAPS - 1 - i]));
const [M0, M1, M2, M3, M4, M5] = [0, 1, 2, 3, 4, 5].map((i) => PHASE_TAPS[1][i]);

/** Largest |value| of the three interpolated points between x5 and x6 of the window x0..x11. */
function windowPeak(
  x0: number, x1: number, x2: number, x3: number, x4: number, x5: number,
  x6: number, x7: number, x8: number, x9: number, x10: number, x11: number,
): number {
  const s0 = x0 + x11, s1 = x1 + x10, s2 = x2 + x9, s3 = x3 + x8, s4 = x4 + x7, s5 = x5 + x6;
  const d0 = x0 - x11, d1 = x1 - x10, d2 = x2 - x9, d3 = x3 - x8, d4 = x4 - x7, d5 = x5 - x6;
  const p = E0 * s0 + E1 * s1 + E2 * s2 + E3 * s3 + E4 * s4 + E5 * s5;
  const q = O0 * d0 + O1 * d1 + O2 * d2 + O3 * d3 + O4 * d4 + O5 * d5;
  const y2 = M0 * s0 + M1 * s1 + M2 * s2 + M3 * s3 + M4 * s4 + M5 * s5;
  const a1 = Math.abs(p + q);
  const a2 = Math.abs(y2);
  const a3 = Math.abs(p - q);
  return a1 > a2 ? (a1 > a3 ? a1 : a3) : a2 > a3 ? a2 : a3;
}

/**
 * Largest |value| of the 4× oversampled signal strictly between samples m and m+1.
 * Reads x[m−5 .. m+6]; indices outside the array count as silence.
 */
export function interSamplePeak(x: Float32Array, m: number): number {
  const first = m - (HALF - 1);
  if (first >= 0 && first + TAPS <= x.length) {
    return windowPeak(x[first], x[first + 1], x[first + 2], x[first + 3], x[first + 4], x[first + 5], x[first + 6], x[first + 7], x[first + 8], x[first + 9], x[first + 10], x[first + 11]);
  }
  const at = (j: number) => (j >= 0 && j < x.length ? x[j] : 0);
  return windowPeak(at(first), at(first + 1), at(first + 2), at(first + 3), at(first + 4), at(first + 5), at(first + 6), at(first + 7), at(first + 8), at(first + 9), at(first + 10), at(first + 11));
}

/** samples of the previous chunk kept in front of the next: a window's worth, less one */
const HISTORY = TAPS - 1;

/** Streaming true-peak meter over consecutive chunks of planar audio. */
export class TruePeakMeter {
  /** per channel: [the last HISTORY samples | the current chunk] */
  private readonly stages: Float32Array[];
  private readonly lastLoud: number[];
  private peakValue = 0;
  private frames = 0;

  constructor(readonly channelCount: number) {
    this.stages = Array.from({ length: channelCount }, () => new Float32Array(HISTORY + 4096));
    this.lastLoud = new Array<number>(channelCount).fill(-TAPS);
  }

  /**
   * Adds frames [start, end) of `channels`. `bounds` (optional) promises that
   * every sample of the stream's frames [k·frames, (k+1)·frames) is at most
   * bounds.peaks[k] × bounds.scale in magnitude (e.g. a gain applied to a signal
   * whose block peaks are known): stretches that cannot reach the peak found so
   * far are then not examined sample by sample. The result is the same.
   */
  push(channels: readonly Float32Array[], start = 0, end = channels[0]?.length ?? 0, bounds?: PeakBounds): void {
    for (let c = 0; c < this.channelCount; c++) {
      if (this.stages[c].length < HISTORY + end - start) {
        const grown = new Float32Array(HISTORY + end - start);
        grown.set(this.stages[c].subarray(0, HISTORY));
        this.stages[c] = grown;
      }
      const stage = this.stages[c];
      stage.set(channels[c].subarray(start, end), HISTORY);
      const result = bounds
        ? scanBounded(stage, end - start, this.frames, this.lastLoud[c], this.peakValue, bounds)
        : scanChunk(stage, end - start, this.frames, this.lastLoud[c], this.peakValue);
      this.peakValue = result.peak;
      this.lastLoud[c] = result.lastLoud;
      stage.copyWithin(0, end - start, end - start + HISTORY);
    }
    this.frames += end - start;
  }

  /** Linear true peak so far, including the ring-out of the interpolator past the last sample. */
  peak(): number {
    let peak = this.peakValue;
    for (let c = 0; c < this.channelCount; c++) {
      // the last few intervals see silence after the end of the signal
      const tail = new Float32Array(HISTORY + HALF);
      tail.set(this.stages[c].subarray(0, HISTORY));
      for (let k = 0; k < HALF; k++) peak = Math.max(peak, windowAt(tail, k));
    }
    return peak;
  }
}

/**
 * Scans `length` new samples at stage[HISTORY + offset…]: the sample peak, and the
 * inter-sample peak of every interval whose 12-sample window (ending at the new
 * sample) holds a sample loud enough to matter. Sample n (absolute) completes
 * the window of the interval between n − 6 and n − 5.
 */
function scanChunk(stage: Float32Array, length: number, firstFrame: number, lastLoud: number, peak: number, offset = 0): { peak: number; lastLoud: number } {
  let threshold = peak / TRUE_PEAK_WINDOW_GAIN;
  for (let i = offset, n = firstFrame; i < offset + length; i++, n++) {
    const v = stage[HISTORY + i];
    const a = v < 0 ? -v : v;
    if (a > peak) {
      peak = a;
      threshold = peak / TRUE_PEAK_WINDOW_GAIN;
    }
    if (a >= threshold) lastLoud = n;
    if (lastLoud > n - TAPS) {
      const p = windowAt(stage, i);
      if (p > peak) {
        peak = p;
        threshold = peak / TRUE_PEAK_WINDOW_GAIN;
      }
    }
  }
  return { peak, lastLoud };
}

/** Upper bounds of |sample| per block of `frames` frames of a stream (see TruePeakMeter.push). */
export interface PeakBounds {
  peaks: Float32Array;
  frames: number;
  scale: number;
}

/**
 * scanChunk, a bounded block at a time: a block whose bound and its neighbours'
 * (a window reaches 11 samples back, and a block is at least that long) stay
 * under peak / TRUE_PEAK_WINDOW_GAIN holds no sample or interval that could
 * raise the peak, and sets no `lastLoud` a later window would need, so it is
 * passed over.
 */
function scanBounded(stage: Float32Array, length: number, firstFrame: number, lastLoud: number, peak: number, bounds: PeakBounds): { peak: number; lastLoud: number } {
  const { peaks, frames, scale } = bounds;
  if (frames < TAPS) return scanChunk(stage, length, firstFrame, lastLoud, peak);
  for (let i = 0; i < length; ) {
    const block = Math.floor((firstFrame + i) / frames);
    const end = Math.min(length, (block + 1) * frames - firstFrame);
    const previous = block > 0 ? peaks[block - 1] : 0;
    const current = block < peaks.length ? peaks[block] : Infinity;
    if (Math.max(previous, current) * scale * TRUE_PEAK_WINDOW_GAIN < peak && lastLoud <= firstFrame + i - TAPS) {
      i = end;
      continue;
    }
    const result = scanChunk(stage, end - i, firstFrame + i, lastLoud, peak, i);
    peak = result.peak;
    lastLoud = result.lastLoud;
    i = end;
  }
  return { peak, lastLoud };
}

/** windowPeak of the 12 samples from x[first] on. */
function windowAt(x: Float32Array, first: number): number {
  return windowPeak(x[first], x[first + 1], x[first + 2], x[first + 3], x[first + 4], x[first + 5], x[first + 6], x[first + 7], x[first + 8], x[first + 9], x[first + 10], x[first + 11]);
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
