/**
 * Look-ahead true-peak limiter over the whole mix (which is already in memory).
 *
 * For every frame j the required gain r[j] = min(1, ceiling / peak(j)) is taken
 * from the larger of the samples and — near loud samples — of the inter-sample
 * values between frames j and j + 1 on the true-peak meter's 192 kHz grid (the
 * meter's own interpolator), so inter-sample overs are caught as well. Then:
 *   a[k] = min(r[k .. k+L−1])      sliding minimum over the look-ahead window
 *   a'[k] = min(a[k], release(a'[k−1]))   instant attack, exponential release
 *   g[n] = mean(a'[n−L+1 .. n])     box smoothing, no clicks
 * Every a'[k] averaged into g[n] already covers frame n, so g[n] ≤ r[n]: the
 * ceiling holds exactly while the gain moves smoothly, reaching its minimum
 * just as the peak arrives. That includes the first frames: the box starts as
 * if the silence before the mix had been run through the limiter, so a loud
 * first frame is already turned down.
 *
 * The sliding minimum is a monotonic deque (amortised O(1) per frame). Required
 * gains are computed a block ahead in one tight loop, in the input's own units
 * (the ceiling divided by the make-up gain), so most frames cost one compare.
 * Most of a mix needs no limiting at all: where the look-ahead holds no frame
 * over the ceiling the deque is skipped, and once the release has recovered
 * (to within 1e-6 of unity, where it is snapped to unity) and the box is full of
 * ones, the gain is the plain make-up gain and the loop only multiplies.
 */
import { TRUE_PEAK_TAPS, TruePeakInterpolator } from '@texttune/audio';

// Module-level names for the Math functions of the hot loops: a lookup on the global object
// is slow in sandboxed contexts (vm, jest), a constant is not.
const { abs, max, min } = Math;

export interface LimiterSettings {
  /** linear gain applied before limiting (loudness normalisation) */
  gain: number;
  /** linear ceiling for samples and inter-sample peaks */
  ceiling: number;
  lookaheadSeconds: number;
  releaseSeconds: number;
}

/** frames processed per step, and of required gain computed per refill */
const BLOCK = 4096;
/** a release within this of unity is unity */
const RELEASE_SNAP = 1e-6;

export class TruePeakLimiter {
  private readonly window: number;
  private readonly releaseCoef: number;
  private readonly interpolator: TruePeakInterpolator;
  /** required gains r[j] by j mod size */
  private readonly required: Float64Array;
  /** monotonic deque of frame indices (increasing r) for the sliding minimum */
  private readonly deque: Int32Array;
  /** the last L values of a', for the box average */
  private readonly box: Float64Array;
  /** r[] is known for frames < computed */
  private computed = 0;
  /** the last frame found over the ceiling (r < 1), −1 for none yet */
  private lastOver = -1;
  private frame = 0;
  /**
   * Loop state, shared with the loop functions: [held a', box sum] and
   * [deque head, deque tail, frames queued into the deque, frames since a' was last below 1].
   */
  private readonly state = new Float64Array([1, 0]);
  private readonly counters = new Int32Array(4);

  /**
   * `cellPeaks` (optional): the largest |sample| of both channels in every
   * `cellFrames` frames of the input, to skip the frame-by-frame search for overs
   * wherever a cell and the next stay well under the ceiling.
   */
  /**
   * With cellPeaks: per cell, an upper bound of the input's inter-sample values
   * after each of its frames, filled in as the required gains are computed (a
   * true-peak meter of the output can skip what it shows cannot reach its peak).
   */
  readonly intervalBounds: Float32Array | null;
  /** [last frame over the ceiling, largest inter-sample bound] of a requiredGains run */
  private readonly scan = new Float64Array(2);

  constructor(
    private readonly left: Float32Array,
    private readonly right: Float32Array,
    private readonly settings: LimiterSettings,
    sampleRate: number,
    private readonly cellPeaks: Float32Array | null = null,
    private readonly cellFrames = 1,
  ) {
    this.window = max(8, Math.round(settings.lookaheadSeconds * sampleRate));
    this.releaseCoef = Math.exp(-1 / (settings.releaseSeconds * sampleRate));
    this.interpolator = TruePeakInterpolator.forRate(sampleRate);
    // Infinity until computed: nothing is skipped on a bound not yet known.
    this.intervalBounds = cellPeaks ? new Float32Array(cellPeaks.length).fill(Infinity) : null;
    // Ring buffers sized to a power of two that holds a block, its look-ahead and the next refill.
    const ring = 1 << Math.ceil(Math.log2(this.window * 2 + BLOCK * 2));
    this.required = new Float64Array(ring);
    this.deque = new Int32Array(ring);
    this.box = new Float64Array(this.window).fill(1);
    this.state[1] = this.window;
    // The box starts full of ones: the gain is at rest.
    this.counters[3] = this.window;
  }

  /** Writes the next `length` limited frames into outLeft/outRight[0..length). */
  process(outLeft: Float32Array, outRight: Float32Array, length: number): void {
    for (let done = 0; done < length; ) {
      const n = min(BLOCK, length - done);
      this.processBlock(outLeft, outRight, done, n);
      done += n;
    }
  }

  /**
   * Runs the L − 1 frames of silence before the mix through the sliding minimum,
   * release and box (without output), so the box holds what they leave: the gain
   * of frame 0 already covers the overs within the look-ahead of the start.
   */
  private prime(): void {
    const { window, required, deque, counters, box, state } = this;
    const mask = required.length - 1;
    let held = state[0];
    let boxSum = state[1];
    const head = counters[0];
    let tail = counters[1];
    let queued = counters[2];
    let atRest = counters[3];
    for (let frame = 1 - window; frame < 0; frame++) {
      while (queued < frame + window) {
        const r = required[queued & mask];
        while (tail > head && required[deque[(tail - 1) & mask] & mask] >= r) tail--;
        deque[tail & mask] = queued;
        tail++;
        queued++;
      }
      const minimum = required[deque[head & mask] & mask];
      let released = 1 - (1 - held) * this.releaseCoef;
      if (released > 1 - RELEASE_SNAP) released = 1;
      held = minimum < released ? minimum : released;
      atRest = held === 1 ? atRest + 1 : 0;
      const slot = frame + window;
      boxSum += held - box[slot];
      box[slot] = held;
    }
    state[0] = held;
    state[1] = boxSum;
    counters[0] = head;
    counters[1] = tail;
    counters[2] = queued;
    counters[3] = atRest;
  }

  private processBlock(outLeft: Float32Array, outRight: Float32Array, offset: number, length: number): void {
    const { window, required, deque, counters } = this;
    const mask = required.length - 1;
    // r[] must reach the look-ahead horizon of this block's last frame.
    const horizon = this.frame + length + window;
    if (horizon > this.computed) {
      const upTo = horizon + BLOCK;
      const limit = this.settings.ceiling / this.settings.gain;
      const over = this.cellPeaks && this.intervalBounds
        ? requiredGainsByCell(this.interpolator, this.left, this.right, required, mask, this.computed, upTo, limit, this.cellPeaks, this.cellFrames, this.intervalBounds, this.scan)
        : requiredGains(this.interpolator, this.left, this.right, required, mask, this.computed, upTo, limit, this.scan);
      if (over >= 0) this.lastOver = over;
      this.computed = upTo;
    }
    if (this.frame === 0) this.prime();
    const args = [this.left, this.right, outLeft, outRight, offset, length, this.frame, window, this.box, this.releaseCoef, this.settings.gain, this.state, counters] as const;
    if (this.lastOver < this.frame) {
      // Nothing over the ceiling from here to the horizon: the window minimum is 1.
      releaseOnly(...args);
      // The deque as the full loop would leave it: only its newest entry (r = 1).
      const queued = this.frame + length - 1 + window;
      deque[0] = queued - 1;
      counters[0] = 0;
      counters[1] = 1;
      counters[2] = queued;
    } else {
      limitFrames(...args, required, deque, mask);
    }
    this.frame += length;
  }
}

/**
 * The general per-frame loop (a plain function over arrays and numbers, so the
 * JIT sees one shape): sliding minimum, release, box average, gain.
 */
function limitFrames(
  left: Float32Array,
  right: Float32Array,
  outLeft: Float32Array,
  outRight: Float32Array,
  offset: number,
  length: number,
  startFrame: number,
  window: number,
  box: Float64Array,
  releaseCoef: number,
  gain: number,
  state: Float64Array,
  counters: Int32Array,
  required: Float64Array,
  deque: Int32Array,
  mask: number,
): void {
  let held = state[0];
  let boxSum = state[1];
  let head = counters[0];
  let tail = counters[1];
  let queued = counters[2];
  let atRest = counters[3];
  let slot = startFrame % window;
  const boxGain = gain / window;
  for (let i = offset, frame = startFrame; i < offset + length; i++, frame++) {
    // Bring r[frame + L − 1] into the sliding-minimum deque.
    const horizon = frame + window;
    while (queued < horizon) {
      const r = required[queued & mask];
      while (tail > head && required[deque[(tail - 1) & mask] & mask] >= r) tail--;
      deque[tail & mask] = queued;
      tail++;
      queued++;
    }
    while (deque[head & mask] < frame) head++;
    const minimum = required[deque[head & mask] & mask];
    let released = 1 - (1 - held) * releaseCoef;
    if (released > 1 - RELEASE_SNAP) released = 1;
    held = minimum < released ? minimum : released;
    atRest = held === 1 ? atRest + 1 : 0;
    boxSum += held - box[slot];
    box[slot] = held;
    slot = slot + 1 === window ? 0 : slot + 1;
    const g = boxSum * boxGain;
    outLeft[i] = left[frame] * g;
    outRight[i] = right[frame] * g;
  }
  state[0] = held;
  state[1] = boxSum;
  counters[0] = head;
  counters[1] = tail;
  counters[2] = queued;
  counters[3] = atRest;
}

/**
 * The loop where no frame in reach is over the ceiling: the gain only recovers.
 * Once a' has been 1 for a whole box the gain is the make-up gain itself.
 */
function releaseOnly(
  left: Float32Array,
  right: Float32Array,
  outLeft: Float32Array,
  outRight: Float32Array,
  offset: number,
  length: number,
  startFrame: number,
  window: number,
  box: Float64Array,
  releaseCoef: number,
  gain: number,
  state: Float64Array,
  counters: Int32Array,
): void {
  let held = state[0];
  let boxSum = state[1];
  let atRest = counters[3];
  let slot = startFrame % window;
  const boxGain = gain / window;
  const end = offset + length;
  let i = offset;
  let frame = startFrame;
  for (; i < end && atRest < window; i++, frame++) {
    held = 1 - (1 - held) * releaseCoef;
    if (held > 1 - RELEASE_SNAP) held = 1;
    atRest = held === 1 ? atRest + 1 : 0;
    boxSum += held - box[slot];
    box[slot] = held;
    slot = slot + 1 === window ? 0 : slot + 1;
    const g = boxSum * boxGain;
    outLeft[i] = left[frame] * g;
    outRight[i] = right[frame] * g;
  }
  if (i < end) {
    // At rest: the box holds only ones (its running sum is reset to drop rounding).
    boxSum = window;
    atRest += end - i;
    for (; i < end; i++, frame++) {
      outLeft[i] = left[frame] * gain;
      outRight[i] = right[frame] * gain;
    }
  }
  state[0] = held;
  state[1] = boxSum;
  counters[3] = atRest;
}

/** the interpolator's window of the interval (j, j + 1) starts at frame j − WINDOW_BACK */
const WINDOW_BACK = TRUE_PEAK_TAPS / 2 - 1;

/**
 * Fills r[j] for from ≤ j < to, in input units (`limit` = ceiling / gain); frames
 * past the end need no limiting. The inter-sample values after frame j are only
 * interpolated where their bound (the interpolator's weighted sum of the window's
 * magnitudes, or a coarser one from `loudest`, a bound of every |sample| in the
 * windows) exceeds the limit. Returns the last frame over the ceiling, or −1;
 * scan[0] is that too, scan[1] the largest of those bounds: since the limiter
 * only scales samples down from `gain`, gain × scan[1] also bounds the output's
 * inter-sample values there.
 */
function requiredGains(
  interpolator: TruePeakInterpolator,
  left: Float32Array,
  right: Float32Array,
  required: Float64Array,
  mask: number,
  from: number,
  to: number,
  limit: number,
  scan: Float64Array,
  loudest = Infinity,
): number {
  const total = left.length;
  const end = to < total ? to : total;
  const inner = total - TRUE_PEAK_TAPS;
  const outer = interpolator.outerGain * loudest;
  let over = -1;
  let intervalBound = 0;
  let j = from;
  for (; j < end; j++) {
    let between: number;
    const first = j - WINDOW_BACK;
    if (first >= 0 && first <= inner) {
      // The coarse bound first (the two samples and `loudest`), the weighted sum where it is not enough.
      let boundLeft = interpolator.centralBound(left[j], left[j + 1]) + outer;
      if (boundLeft > limit) boundLeft = interpolator.windowBound(left, first);
      let boundRight = interpolator.centralBound(right[j], right[j + 1]) + outer;
      if (boundRight > limit) boundRight = interpolator.windowBound(right, first);
      if (boundLeft > intervalBound) intervalBound = boundLeft;
      if (boundRight > intervalBound) intervalBound = boundRight;
      // Exact wherever it could exceed the limit.
      // The exact value where it exceeds the limit, else the limit itself (r stays 1).
      between = max(
        boundLeft > limit ? interpolator.windowPeakOver(left, first, j, limit) : boundLeft,
        boundRight > limit ? interpolator.windowPeakOver(right, first, j, limit) : boundRight,
      );
    } else {
      // The first and last frames: the window reaches into the silence around the mix.
      between = max(interpolator.intervalPeak(left, j), interpolator.intervalPeak(right, j));
      // No bound recorded: the meter examines the ends itself.
      intervalBound = Infinity;
    }
    const peak = max(abs(left[j]), abs(right[j]), between);
    let r = 1;
    if (peak > limit) {
      r = limit / peak;
      over = j;
    }
    required[j & mask] = r;
  }
  for (; j < to; j++) required[j & mask] = 1;
  scan[0] = over;
  scan[1] = intervalBound;
  return over;
}

/**
 * requiredGains, a cell at a time: the windows of a cell's frames reach into the
 * cells either side; where all three stay under limit / gain (the interpolator's
 * largest amplification of a window), r is 1 throughout and the frames are not
 * looked at. Records each cell's inter-sample bound in `intervalBounds`.
 */
function requiredGainsByCell(
  interpolator: TruePeakInterpolator,
  left: Float32Array,
  right: Float32Array,
  required: Float64Array,
  mask: number,
  from: number,
  to: number,
  limit: number,
  cellPeaks: Float32Array,
  cellFrames: number,
  intervalBounds: Float32Array,
  scan: Float64Array,
): number {
  let over = -1;
  const quietLevel = limit / interpolator.gain;
  const reach = Math.ceil(TRUE_PEAK_TAPS / cellFrames);
  for (let start = from; start < to; ) {
    const cell = Math.floor(start / cellFrames);
    const end = min(to, (cell + 1) * cellFrames);
    let loudest = 0;
    for (let c = max(0, cell - reach); c <= cell + reach && c < cellPeaks.length; c++) loudest = max(loudest, cellPeaks[c]);
    let bound: number;
    if (loudest <= quietLevel) {
      fillRing(required, mask, start, end);
      bound = loudest * interpolator.gain;
    } else {
      const cellOver = requiredGains(interpolator, left, right, required, mask, start, end, limit, scan, loudest);
      if (cellOver > over) over = cellOver;
      bound = scan[1];
    }
    if (cell < intervalBounds.length) intervalBounds[cell] = start === cell * cellFrames ? bound : max(intervalBounds[cell], bound);
    start = end;
  }
  return over;
}

function fillRing(ring: Float64Array, mask: number, from: number, to: number): void {
  const a = from & mask;
  const b = to & mask;
  if (to - from >= ring.length) ring.fill(1);
  else if (a <= b) ring.fill(1, a, b);
  else {
    ring.fill(1, a);
    ring.fill(1, 0, b);
  }
}
