/**
 * Look-ahead true-peak limiter over the whole mix (which is already in memory).
 *
 * For every frame j the required gain r[j] = min(1, ceiling / peak(j)) is taken
 * from the larger of the samples and — near loud samples — of the 4×-oversampled
 * inter-sample values, so inter-sample overs are caught as well. Then:
 *   a[k] = min(r[k .. k+L−1])      sliding minimum over the look-ahead window
 *   a'[k] = min(a[k], release(a'[k−1]))   instant attack, exponential release
 *   g[n] = mean(a'[n−L+1 .. n])     box smoothing, no clicks
 * Every a'[k] averaged into g[n] already covers frame n, so g[n] ≤ r[n]: the
 * ceiling holds exactly while the gain moves smoothly, reaching its minimum
 * just as the peak arrives.
 */
import { interSamplePeak } from '@texttune/audio';

export interface LimiterSettings {
  /** linear gain applied before limiting (loudness normalisation) */
  gain: number;
  /** linear ceiling for samples and inter-sample peaks */
  ceiling: number;
  lookaheadSeconds: number;
  releaseSeconds: number;
}

/** Inter-sample peaks are only computed where a neighbouring sample gets this close to the ceiling. */
const INTERSAMPLE_CHECK_RATIO = 0.7;

export class TruePeakLimiter {
  private readonly window: number;
  private readonly releaseCoef: number;
  /** required gains r[j] by j mod size */
  private readonly required: Float64Array;
  /** monotonic deque of frame indices (increasing r) for the sliding minimum */
  private readonly deque: Int32Array;
  private head = 0;
  private tail = 0;
  /** the last L values of a' and their sum, for the box average */
  private readonly box: Float64Array;
  private boxSum: number;
  private held = 1;
  private nextRequired = 0;
  private frame = 0;

  constructor(private readonly left: Float32Array, private readonly right: Float32Array, private readonly settings: LimiterSettings, sampleRate: number) {
    this.window = Math.max(8, Math.round(settings.lookaheadSeconds * sampleRate));
    this.releaseCoef = Math.exp(-1 / (settings.releaseSeconds * sampleRate));
    // Ring buffers sized to a power of two ≥ 2L so indices wrap with a mask.
    const ring = 1 << Math.ceil(Math.log2(this.window * 2));
    this.required = new Float64Array(ring);
    this.deque = new Int32Array(ring);
    this.box = new Float64Array(this.window).fill(1);
    this.boxSum = this.window;
  }

  /** Writes the next `length` limited frames into outLeft/outRight[0..length). */
  process(outLeft: Float32Array, outRight: Float32Array, length: number): void {
    const { left, right, window, required, deque, box } = this;
    const mask = required.length - 1;
    const gain = this.settings.gain;
    const total = left.length;
    const releaseCoef = this.releaseCoef;
    let { head, tail, held, boxSum, nextRequired, frame } = this;
    let slot = frame % window;
    for (let i = 0; i < length; i++, frame++) {
      // Bring r[] up to frame + L − 1 into the sliding-minimum deque.
      while (nextRequired <= frame + window - 1) {
        const j = nextRequired++;
        const r = j < total ? this.requiredGain(j) : 1;
        required[j & mask] = r;
        while (tail > head && required[deque[(tail - 1) & mask] & mask] >= r) tail--;
        deque[tail++ & mask] = j;
      }
      while (deque[head & mask] < frame) head++;
      const minimum = required[deque[head & mask] & mask];
      const released = 1 - (1 - held) * releaseCoef;
      held = minimum < released ? minimum : released;
      boxSum += held - box[slot];
      box[slot] = held;
      slot = slot + 1 === window ? 0 : slot + 1;
      const g = (boxSum / window) * gain;
      outLeft[i] = left[frame] * g;
      outRight[i] = right[frame] * g;
    }
    this.head = head;
    this.tail = tail;
    this.held = held;
    this.boxSum = boxSum;
    this.nextRequired = nextRequired;
    this.frame = frame;
  }

  private requiredGain(j: number): number {
    const { left, right } = this;
    const gain = this.settings.gain;
    const ceiling = this.settings.ceiling;
    const l = left[j];
    const r = right[j];
    let peak = (l > r ? (l > -r ? l : -r) : r > -l ? r : -l) * gain;
    const nl = j + 1 < left.length ? left[j + 1] : 0;
    const nr = j + 1 < left.length ? right[j + 1] : 0;
    const next = (nl > nr ? (nl > -nr ? nl : -nr) : nr > -nl ? nr : -nl) * gain;
    if ((peak > next ? peak : next) > ceiling * INTERSAMPLE_CHECK_RATIO) {
      peak = Math.max(peak, interSamplePeak(left, j) * gain, interSamplePeak(right, j) * gain);
    }
    return peak > ceiling ? ceiling / peak : 1;
  }
}
