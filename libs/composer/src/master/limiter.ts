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
import { type PeakBounds, TRUE_PEAK_TAPS, TruePeakInterpolator } from '@texttune/audio';

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
/** relative margin of the output bounds over rounding (float32 output and bounds: 2⁻²⁴ each) */
const BOUND_MARGIN = 1 + 1e-6;

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
   * With cellPeaks, per cell of the input, filled in as the required gains are
   * computed: bounds of the |inter-sample values| after each of its frames
   * (`intervalPeaks`, exact where they exceed the limit) and of Σ|tap × sample|
   * over their windows (`intervalSpreads`).
   */
  private readonly intervalPeaks: Float32Array | null;
  private readonly intervalSpreads: Float32Array | null;
  /** per cell of the output: [lowest, highest] gain applied to its frames (make-up gain included) */
  private readonly cellGains: Float32Array;
  /**
   * With cellPeaks (and cells of at least TRUE_PEAK_TAPS frames), per cell of the
   * output as it is written (Infinity until then): bounds of its |samples|
   * (`outputPeaks`) and of the |inter-sample values| of the intervals its frames
   * complete (`outputIntervals`, see PeakBounds.intervals). A true-peak meter of
   * the output skips what they show cannot reach its peak.
   */
  readonly outputPeaks: Float32Array | null;
  readonly outputIntervals: Float32Array | null;
  /** outputPeaks/outputIntervals are known for cells < boundsDone */
  private boundsDone = 0;
  /** [last frame over the ceiling, largest Σ|tap × sample| bound, largest inter-sample bound] of a requiredGains run */
  private readonly scan = new Float64Array(3);

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
    const cells = cellPeaks ? cellPeaks.length : 0;
    // Float32 (half the memory: 1.5 MB of bounds per 30 s): their rounding, ≤ 2⁻²⁴ relative, is within BOUND_MARGIN.
    this.intervalPeaks = cellPeaks ? new Float32Array(cells).fill(Infinity) : null;
    this.intervalSpreads = cellPeaks ? new Float32Array(cells).fill(Infinity) : null;
    const bounded = cellPeaks !== null && cellFrames >= TRUE_PEAK_TAPS;
    this.outputPeaks = bounded ? new Float32Array(cells).fill(Infinity) : null;
    this.outputIntervals = bounded ? new Float32Array(cells).fill(Infinity) : null;
    // [+∞, 0] per cell: no frame seen yet. Without cells, one slot that every frame lands in.
    this.cellGains = new Float32Array(2 * max(1, cells));
    for (let c = 0; c < this.cellGains.length; c += 2) this.cellGains[c] = Infinity;
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
    if (this.outputPeaks) this.updateOutputBounds();
  }

  /** The output bounds as a true-peak meter takes them (PeakBounds), or none without cells. */
  outputBounds(): PeakBounds {
    const { outputPeaks, outputIntervals, cellFrames } = this;
    if (outputPeaks && outputIntervals) return { peaks: outputPeaks, intervals: outputIntervals, frames: cellFrames, scale: 1 };
    // No cells: no bounds (every block may reach anything).
    return { peaks: new Float32Array(0), intervals: null, frames: max(TRUE_PEAK_TAPS, cellFrames), scale: 1 };
  }

  /**
   * A lower bound of the output's largest |sample| so far: in every cell, the loudest
   * input sample times the cell's lowest gain (less a margin for float32 rounding).
   */
  outputSampleFloor(): number {
    const { cellPeaks, cellGains } = this;
    if (!cellPeaks) return 0;
    let floor = 0;
    // Whole cells only: a cell's loudest sample may lie in frames not written yet.
    const cells = this.frame >= this.left.length ? cellPeaks.length : Math.floor(this.frame / this.cellFrames);
    for (let k = 0; k < cells; k++) {
      const low = cellGains[2 * k] * cellPeaks[k];
      if (low > floor) floor = low;
    }
    return floor / BOUND_MARGIN;
  }

  /**
   * The bounds of the output cells written so far. The intervals a cell's frames
   * complete lie in it and the cell before, and so do their windows: with the
   * gain m between mLow and mHigh over those frames, an inter-sample value
   * Σ h·m·x is at most mHigh·|Σ h·x| + (mHigh − mLow)·Σ|h·x|. Where the gain is
   * at rest that is the input's inter-sample bound times the make-up gain, which
   * the limiter has already computed; only the cells near limiting are left for
   * the meter to interpolate.
   */
  private updateOutputBounds(): void {
    const { outputPeaks, outputIntervals, intervalPeaks, intervalSpreads, cellPeaks, cellGains, cellFrames } = this;
    if (!outputPeaks || !outputIntervals || !intervalPeaks || !intervalSpreads || !cellPeaks) return;
    const written = this.frame >= this.left.length ? cellPeaks.length : Math.floor(this.frame / cellFrames);
    for (let k = this.boundsDone; k < written; k++) {
      const before = k > 0 ? k - 1 : k;
      const high = max(cellGains[2 * k + 1], cellGains[2 * before + 1]);
      const low = min(cellGains[2 * k], cellGains[2 * before]);
      // Block 0's intervals reach into the silence before the mix, not bounded here.
      const peak = k > 0 ? max(intervalPeaks[k], intervalPeaks[k - 1]) : Infinity;
      const spread = k > 0 ? max(intervalSpreads[k], intervalSpreads[k - 1]) : Infinity;
      // The margin covers the rounding of the output to float32 (2⁻²⁴ relative) and of these sums.
      outputPeaks[k] = cellGains[2 * k + 1] * cellPeaks[k] * BOUND_MARGIN;
      outputIntervals[k] = (high * peak + (high - low) * spread) * BOUND_MARGIN;
    }
    this.boundsDone = max(this.boundsDone, written);
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
      const over = this.cellPeaks && this.intervalPeaks && this.intervalSpreads
        ? requiredGainsByCell(this.interpolator, this.left, this.right, required, mask, this.computed, upTo, limit, this.cellPeaks, this.cellFrames, this.intervalPeaks, this.intervalSpreads, this.scan)
        : requiredGains(this.interpolator, this.left, this.right, required, mask, this.computed, upTo, limit, this.scan);
      if (over >= 0) this.lastOver = over;
      this.computed = upTo;
    }
    if (this.frame === 0) this.prime();
    const cellFrames = this.cellPeaks ? this.cellFrames : 0x40000000;
    const args = [this.left, this.right, outLeft, outRight, offset, length, this.frame, window, this.box, this.releaseCoef, this.settings.gain, this.state, counters, this.cellGains, cellFrames] as const;
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
  cellGains: Float32Array,
  cellFrames: number,
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
  // The lowest and highest gain of the current cell, recorded when it ends (or the loop does).
  let cell = Math.floor(startFrame / cellFrames);
  let untilCellEnd = (cell + 1) * cellFrames - startFrame;
  let low = Infinity;
  let high = 0;
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
    if (g < low) low = g;
    if (g > high) high = g;
    if (--untilCellEnd === 0) {
      recordGains(cellGains, cell, low, high);
      cell++;
      untilCellEnd = cellFrames;
      low = Infinity;
      high = 0;
    }
  }
  if (high > 0) recordGains(cellGains, cell, low, high);
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
  cellGains: Float32Array,
  cellFrames: number,
): void {
  let held = state[0];
  let boxSum = state[1];
  let atRest = counters[3];
  let slot = startFrame % window;
  const boxGain = gain / window;
  const end = offset + length;
  let i = offset;
  let frame = startFrame;
  let cell = Math.floor(startFrame / cellFrames);
  let untilCellEnd = (cell + 1) * cellFrames - startFrame;
  let low = Infinity;
  let high = 0;
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
    if (g < low) low = g;
    if (g > high) high = g;
    if (--untilCellEnd === 0) {
      recordGains(cellGains, cell, low, high);
      cell++;
      untilCellEnd = cellFrames;
      low = Infinity;
      high = 0;
    }
  }
  if (high > 0) recordGains(cellGains, cell, low, high);
  if (i < end) {
    // At rest: the box holds only ones (its running sum is reset to drop rounding).
    boxSum = window;
    atRest += end - i;
    for (let c = cell, last = Math.floor((startFrame + length - 1) / cellFrames); c <= last; c++) recordGains(cellGains, c, gain, gain);
    for (; i < end; i++, frame++) {
      outLeft[i] = left[frame] * gain;
      outRight[i] = right[frame] * gain;
    }
  }
  state[0] = held;
  state[1] = boxSum;
  counters[3] = atRest;
}

/** Widens cell c's recorded gain range to [low, high]. */
function recordGains(cellGains: Float32Array, c: number, low: number, high: number): void {
  const at = 2 * c < cellGains.length ? 2 * c : 0;
  if (low < cellGains[at]) cellGains[at] = low;
  if (high > cellGains[at + 1]) cellGains[at + 1] = high;
}

/** the interpolator's window of the interval (j, j + 1) starts at frame j − WINDOW_BACK */
const WINDOW_BACK = TRUE_PEAK_TAPS / 2 - 1;

/**
 * Fills r[j] for from ≤ j < to, in input units (`limit` = ceiling / gain); frames
 * past the end need no limiting. The inter-sample values after frame j are only
 * interpolated where their bound (the interpolator's weighted sum of the window's
 * magnitudes, or a coarser one from `loudest`, a bound of every |sample| in the
 * windows) exceeds the limit. Returns the last frame over the ceiling, or −1;
 * scan[0] is that too, scan[1] the largest of those bounds of Σ|tap × sample|,
 * scan[2] the largest bound of the inter-sample values themselves (exact where
 * over the limit, else windowPeakOver's bound or scan[1]'s).
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
  let spreadBound = 0;
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
      if (boundLeft > spreadBound) spreadBound = boundLeft;
      if (boundRight > spreadBound) spreadBound = boundRight;
      // The exact value where it exceeds the limit, else a bound under the limit (r stays 1).
      between = max(
        boundLeft > limit ? interpolator.windowPeakOver(left, first, j, limit) : boundLeft,
        boundRight > limit ? interpolator.windowPeakOver(right, first, j, limit) : boundRight,
      );
      if (between > intervalBound) intervalBound = between;
    } else {
      // The first and last frames: the window reaches into the silence around the mix.
      between = max(interpolator.intervalPeak(left, j), interpolator.intervalPeak(right, j));
      // No bound recorded: the meter examines the ends itself.
      spreadBound = Infinity;
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
  scan[1] = spreadBound;
  scan[2] = intervalBound;
  return over;
}

/**
 * requiredGains, a cell at a time: the windows of a cell's frames reach into the
 * cells either side; where all three stay under limit / gain (the interpolator's
 * largest amplification of a window), r is 1 throughout and the frames are not
 * looked at. Records each cell's bounds in `intervalPeaks` and `intervalSpreads`.
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
  intervalPeaks: Float32Array,
  intervalSpreads: Float32Array,
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
    let spread: number;
    let peak: number;
    if (loudest <= quietLevel) {
      fillRing(required, mask, start, end);
      spread = peak = loudest * interpolator.gain;
    } else {
      const cellOver = requiredGains(interpolator, left, right, required, mask, start, end, limit, scan, loudest);
      if (cellOver > over) over = cellOver;
      spread = scan[1];
      peak = scan[2];
    }
    if (cell < intervalPeaks.length) {
      const whole = start === cell * cellFrames;
      intervalSpreads[cell] = whole ? spread : max(intervalSpreads[cell], spread);
      intervalPeaks[cell] = whole ? peak : max(intervalPeaks[cell], peak);
    }
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
