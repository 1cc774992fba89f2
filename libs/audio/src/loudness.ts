/**
 * ITU-R BS.1770-4 / EBU R128 integrated loudness.
 *
 * Each channel is K-weighted (a high-shelf "pre-filter" modelling the head, then the
 * RLB high-pass), its mean square is taken over 400 ms blocks overlapping by 75 %,
 * and the blocks are gated twice: absolute at −70 LUFS, then relative at 10 LU below
 * the loudness of the blocks that passed the absolute gate.
 *
 * The two filters are specified as 48 kHz coefficients; we rebuild them for any
 * rate from their analog prototypes (shelf: f0 ≈ 1681.97 Hz, +4 dB, Q ≈ 0.7072;
 * high-pass: f0 ≈ 38.14 Hz, Q ≈ 0.5003) via the bilinear transform, which
 * reproduces the standard's 48 kHz coefficients to ~1e-8.
 */
import { BiquadCoefficients } from './signal';

export function kWeightingCoefficients(sampleRate: number): { shelf: BiquadCoefficients; highPass: BiquadCoefficients } {
  let f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = Math.pow(10, gainDb / 20);
  const vb = Math.pow(vh, 0.4996667741545416);
  let a0 = 1 + k / q + k * k;
  const shelf = {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + k / q + k * k;
  const highPass = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q + k * k) / a0 };
  return { shelf, highPass };
}

const ABSOLUTE_GATE_LUFS = -70;
const RELATIVE_GATE_LU = -10;

/** Loudness in LUFS of a mean-square power summed over channels (all weights 1: L, R, C). */
function powerToLufs(power: number): number {
  return power > 0 ? -0.691 + 10 * Math.log10(power) : -Infinity;
}

/**
 * Streaming integrated-loudness meter: feed it consecutive chunks of planar audio,
 * then ask for `integrated()`. State per channel is a few numbers plus one mean
 * square per 100 ms, so it can run alongside a renderer at any length.
 */
export class LoudnessMeter {
  private readonly stepFrames: number;
  private readonly state: Float64Array[];
  private readonly shelf: BiquadCoefficients;
  private readonly highPass: BiquadCoefficients;
  /** summed-over-channels mean square of every completed 100 ms step */
  private readonly steps: number[] = emptyDoubleArray();
  private stepSum = 0;
  private stepFill = 0;

  constructor(readonly sampleRate: number, readonly channelCount: number) {
    this.stepFrames = Math.round(sampleRate / 10);
    // per channel: shelf x1 x2 y1 y2, high-pass x1 x2 y1 y2
    this.state = Array.from({ length: channelCount }, () => new Float64Array(8));
    ({ shelf: this.shelf, highPass: this.highPass } = kWeightingCoefficients(sampleRate));
  }

  /** Adds frames [start, end) of `channels` (one array per channel). */
  push(channels: readonly Float32Array[], start = 0, end = channels[0]?.length ?? 0): void {
    let pos = start;
    while (pos < end) {
      const take = Math.min(end - pos, this.stepFrames - this.stepFill);
      for (let c = 0; c < this.channelCount; c++) this.stepSum += this.filterSquares(channels[c], pos, pos + take, this.state[c]);
      pos += take;
      this.stepFill += take;
      if (this.stepFill === this.stepFrames) {
        this.steps.push(this.stepSum / this.stepFrames);
        this.stepSum = 0;
        this.stepFill = 0;
      }
    }
  }

  /** K-weights samples [from, to) of one channel and returns the sum of squares. */
  private filterSquares(samples: Float32Array, from: number, to: number, s: Float64Array): number {
    const { b0, b1, b2, a1, a2 } = this.shelf;
    const h = this.highPass;
    let sx1 = s[0], sx2 = s[1], sy1 = s[2], sy2 = s[3];
    let hx1 = s[4], hx2 = s[5], hy1 = s[6], hy2 = s[7];
    let sum = 0;
    const ha1 = h.a1;
    const ha2 = h.a2;
    for (let i = from; i < to; i++) {
      const x = samples[i];
      // Each filter's previous output enters last: the shortest path round its recursion.
      const y = b0 * x + b1 * sx1 + b2 * sx2 - a2 * sy2 - a1 * sy1;
      sx2 = sx1;
      sx1 = x;
      sy2 = sy1;
      sy1 = y;
      const z = y - 2 * hx1 + hx2 - ha2 * hy2 - ha1 * hy1;
      hx2 = hx1;
      hx1 = y;
      hy2 = hy1;
      hy1 = z;
      sum += z * z;
    }
    s[0] = sx1; s[1] = sx2; s[2] = sy1; s[3] = sy2;
    s[4] = hx1; s[5] = hx2; s[6] = hy1; s[7] = hy2;
    return sum;
  }

  /** Frames per 100 ms step. */
  get stepLength(): number {
    return this.stepFrames;
  }

  /**
   * The K-weighted mean-square power (summed over channels) of every completed
   * 100 ms step so far: what the gating works on. `integratedLoudnessOfSteps`
   * turns (possibly rescaled) step powers into a loudness.
   */
  stepPowers(): readonly number[] {
    return this.steps;
  }

  /** Gated integrated loudness in LUFS; −Infinity for silence or less than 400 ms. */
  integrated(): number {
    return integratedLoudnessOfSteps(this.steps);
  }
}

/**
 * Gated integrated loudness (LUFS) from the K-weighted powers of consecutive
 * 100 ms steps: 400 ms gating blocks with 75 % overlap, absolute gate at −70 LUFS,
 * relative gate 10 LU below the loudness of the blocks that pass it.
 */
export function integratedLoudnessOfSteps(steps: ArrayLike<number>): number {
  const blocks: number[] = [];
  for (let i = 3; i < steps.length; i++) blocks.push((steps[i] + steps[i - 1] + steps[i - 2] + steps[i - 3]) / 4);
  const aboveAbsolute = blocks.filter((p) => powerToLufs(p) > ABSOLUTE_GATE_LUFS);
  if (aboveAbsolute.length === 0) return -Infinity;
  const relativeGate = powerToLufs(mean(aboveAbsolute)) + RELATIVE_GATE_LU;
  const gated = aboveAbsolute.filter((p) => powerToLufs(p) > relativeGate);
  return powerToLufs(mean(gated));
}

/**
 * An empty array already of V8's double element kind. A plain `[]` holds small integers
 * until the first step's power turns it over, which deoptimises `push` in every new meter.
 */
function emptyDoubleArray(): number[] {
  const array = [0.5];
  array.length = 0;
  return array;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length ? sum / values.length : 0;
}

/** Integrated loudness (LUFS) of planar audio in one call. */
export function integratedLoudness(channels: readonly Float32Array[], sampleRate: number): number {
  const meter = new LoudnessMeter(sampleRate, channels.length);
  meter.push(channels);
  return meter.integrated();
}
