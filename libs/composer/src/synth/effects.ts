/**
 * Effects that process whole blocks in place: a feedback-delay-network reverb,
 * a tempo-synced ping-pong delay (both behind WetBus, which runs them at half
 * rate at 44.1/48 kHz), guitar-style drive, a tone low-pass and a high-pass.
 */
import { HALF_BAND_C0, HALF_BAND_C1, HALF_BAND_C2, HALF_RATE_MIN_SAMPLE_RATE, onePoleCoefficient, softClip } from './dsp';

/** Delay-line lengths in ms for the reverb, mutually prime-ish so echoes never line up. */
const REVERB_LINE_MS = [29.7, 37.1, 41.3, 43.7, 53.3, 59.9, 67.1, 73.1];
const DIFFUSER_MS = [4.77, 3.59, 12.73, 9.3];

/**
 * Stereo reverb: a feedback delay network (4 or 8 lines mixed by a Hadamard
 * matrix, which is orthogonal so the loop loses energy only through the per-line
 * gains) with a low-pass in every line so high frequencies die first, as in a
 * real room. Each line's gain is set from its own length so all decay at the same
 * T60. Input: pre-delay, a high-pass (no muddy low end) and, at higher quality,
 * all-pass diffusers that smear the attack into a dense wash.
 */
export class Reverb {
  /** all delay lines back to back in one buffer; line k spans [starts[k], starts[k] + lengths[k]) */
  private readonly memory: Float32Array;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;
  private readonly positions: Int32Array;
  private readonly gains: Float64Array;
  private readonly damping: Float64Array;
  private readonly count: number;
  private readonly damp: number;
  private readonly preDelay: Float32Array;
  private preIndex = 0;
  private readonly diffusers: Float32Array[];
  private readonly diffuserIndex: Int32Array;
  private readonly hp: number;
  private hpState = 0;
  /** the network input for the current block */
  private input = new Float64Array(0);

  /** `latencyFrames` of the caller's processing are taken off the pre-delay */
  constructor(sampleRate: number, decaySeconds: number, lineCount: 4 | 8, diffuse: boolean, brightness: number, latencyFrames = 0) {
    this.count = lineCount;
    const size = 0.8 + 0.15 * Math.min(4, decaySeconds);
    this.lengths = new Int32Array(lineCount);
    this.starts = new Int32Array(lineCount);
    this.gains = new Float64Array(lineCount);
    let total = 0;
    for (let k = 0; k < lineCount; k++) {
      const length = Math.max(8, Math.round((REVERB_LINE_MS[k] * size * sampleRate) / 1000));
      this.lengths[k] = length;
      this.starts[k] = total;
      total += length;
      this.gains[k] = Math.pow(0.001, length / (decaySeconds * sampleRate));
    }
    this.memory = new Float32Array(total);
    this.positions = new Int32Array(lineCount);
    this.damping = new Float64Array(lineCount);
    this.damp = 1 - onePoleCoefficient(2500 + 6000 * brightness, sampleRate);
    this.preDelay = new Float32Array(Math.max(1, Math.round(0.018 * sampleRate) - latencyFrames));
    this.diffusers = diffuse ? DIFFUSER_MS.map((ms) => new Float32Array(Math.max(2, Math.round((ms * sampleRate) / 1000)))) : [];
    this.diffuserIndex = new Int32Array(this.diffusers.length);
    this.hp = onePoleCoefficient(180, sampleRate);
  }

  /** Reads the (mono) send bus and adds the reverberation to outLeft/outRight. */
  process(send: Float32Array, outLeft: Float32Array, outRight: Float32Array, length: number, wet: number): void {
    if (this.input.length < length) this.growInput(length);
    const input = this.prepareInput(send, length);
    if (this.count === 4) this.processFourLines(input, outLeft, outRight, length, wet);
    else this.processEightLines(input, outLeft, outRight, length, wet);
  }

  /** (Kept out of the per-block path, which then never allocates.) */
  private growInput(length: number): void {
    this.input = new Float64Array(length);
  }

  /**
   * The network's input for the block: the send high-passed (input minus its
   * low-passed self), pre-delayed and, at higher quality, through the all-pass
   * diffusers. The diffusers form a plain chain, so each can run over the whole
   * block in turn with its state in registers.
   */
  private prepareInput(send: Float32Array, length: number): Float64Array {
    const { input, preDelay, diffusers, diffuserIndex } = this;
    const hp = this.hp;
    const preLength = preDelay.length;
    let { hpState, preIndex } = this;
    for (let i = 0; i < length; i++) {
      const x = send[i];
      hpState += hp * (x - hpState);
      input[i] = preDelay[preIndex];
      preDelay[preIndex] = x - hpState;
      preIndex = preIndex + 1 === preLength ? 0 : preIndex + 1;
    }
    this.hpState = hpState;
    this.preIndex = preIndex;
    for (let d = 0; d < diffusers.length; d++) {
      diffuserIndex[d] = allpass(input, length, diffusers[d], diffuserIndex[d]);
    }
    return input;
  }

  /** Four lines, unrolled so every state variable lives in a register. */
  private processFourLines(input: Float64Array, outLeft: Float32Array, outRight: Float32Array, length: number, wet: number): void {
    const { memory, starts, lengths, positions, gains, damping } = this;
    const damp = this.damp;
    const undamp = 1 - damp;
    const outGain = wet * 0.5;
    const s0 = starts[0];
    const s1 = starts[1];
    const s2 = starts[2];
    const s3 = starts[3];
    const n0 = lengths[0];
    const n1 = lengths[1];
    const n2 = lengths[2];
    const n3 = lengths[3];
    const g0 = gains[0];
    const g1 = gains[1];
    const g2 = gains[2];
    const g3 = gains[3];
    let p0 = positions[0];
    let p1 = positions[1];
    let p2 = positions[2];
    let p3 = positions[3];
    let d0 = damping[0];
    let d1 = damping[1];
    let d2 = damping[2];
    let d3 = damping[3];
    // In runs over which no line wraps round, so the loop indexes without tests.
    for (let i = 0; i < length; ) {
      const run = Math.min(length - i, n0 - p0, n1 - p1, n2 - p2, n3 - p3);
      const b0 = s0 + p0 - i;
      const b1 = s1 + p1 - i;
      const b2 = s2 + p2 - i;
      const b3 = s3 + p3 - i;
      const end = i + run;
      for (; i < end; i++) {
        const x = input[i];
        let o0 = memory[b0 + i];
        let o1 = memory[b1 + i];
        let o2 = memory[b2 + i];
        let o3 = memory[b3 + i];
        d0 = undamp * o0 + damp * d0;
        d1 = undamp * o1 + damp * d1;
        d2 = undamp * o2 + damp * d2;
        d3 = undamp * o3 + damp * d3;
        o0 = d0 * g0;
        o1 = d1 * g1;
        o2 = d2 * g2;
        o3 = d3 * g3;
        outLeft[i] += (o0 + o1 + o2 + o3) * outGain;
        outRight[i] += (o0 - o1 + o2 - o3) * outGain;
        // 4-point Hadamard, scaled by 1/2
        const a = o0 + o1;
        const b = o0 - o1;
        const c = o2 + o3;
        const d = o2 - o3;
        memory[b0 + i] = 0.5 * (a + c) + x;
        memory[b1 + i] = 0.5 * (b + d) - x;
        memory[b2 + i] = 0.5 * (a - c) + x;
        memory[b3 + i] = 0.5 * (b - d) - x;
      }
      p0 = p0 + run === n0 ? 0 : p0 + run;
      p1 = p1 + run === n1 ? 0 : p1 + run;
      p2 = p2 + run === n2 ? 0 : p2 + run;
      p3 = p3 + run === n3 ? 0 : p3 + run;
    }
    positions[0] = p0;
    positions[1] = p1;
    positions[2] = p2;
    positions[3] = p3;
    damping[0] = d0;
    damping[1] = d1;
    damping[2] = d2;
    damping[3] = d3;
  }

  /** Eight lines, unrolled likewise; the Hadamard is an 8-point fast Walsh–Hadamard transform. */
  private processEightLines(input: Float64Array, outLeft: Float32Array, outRight: Float32Array, length: number, wet: number): void {
    const { memory, starts, lengths, positions, gains, damping } = this;
    const damp = this.damp;
    const undamp = 1 - damp;
    const norm = 0.3535533905932738; // 1/√8 keeps the Hadamard mix orthonormal
    const outGain = wet * norm;
    const s0 = starts[0];
    const s1 = starts[1];
    const s2 = starts[2];
    const s3 = starts[3];
    const s4 = starts[4];
    const s5 = starts[5];
    const s6 = starts[6];
    const s7 = starts[7];
    const n0 = lengths[0];
    const n1 = lengths[1];
    const n2 = lengths[2];
    const n3 = lengths[3];
    const n4 = lengths[4];
    const n5 = lengths[5];
    const n6 = lengths[6];
    const n7 = lengths[7];
    const g0 = gains[0];
    const g1 = gains[1];
    const g2 = gains[2];
    const g3 = gains[3];
    const g4 = gains[4];
    const g5 = gains[5];
    const g6 = gains[6];
    const g7 = gains[7];
    let p0 = positions[0];
    let p1 = positions[1];
    let p2 = positions[2];
    let p3 = positions[3];
    let p4 = positions[4];
    let p5 = positions[5];
    let p6 = positions[6];
    let p7 = positions[7];
    let d0 = damping[0];
    let d1 = damping[1];
    let d2 = damping[2];
    let d3 = damping[3];
    let d4 = damping[4];
    let d5 = damping[5];
    let d6 = damping[6];
    let d7 = damping[7];
    // In runs over which no line wraps round, so the loop indexes without tests.
    for (let i = 0; i < length; ) {
      const run = Math.min(length - i, n0 - p0, n1 - p1, n2 - p2, n3 - p3, n4 - p4, n5 - p5, n6 - p6, n7 - p7);
      const q0 = s0 + p0 - i;
      const q1 = s1 + p1 - i;
      const q2 = s2 + p2 - i;
      const q3 = s3 + p3 - i;
      const q4 = s4 + p4 - i;
      const q5 = s5 + p5 - i;
      const q6 = s6 + p6 - i;
      const q7 = s7 + p7 - i;
      const end = i + run;
      for (; i < end; i++) {
        const x = input[i];
        let o0 = memory[q0 + i];
        let o1 = memory[q1 + i];
        let o2 = memory[q2 + i];
        let o3 = memory[q3 + i];
        let o4 = memory[q4 + i];
        let o5 = memory[q5 + i];
        let o6 = memory[q6 + i];
        let o7 = memory[q7 + i];
        d0 = undamp * o0 + damp * d0;
        d1 = undamp * o1 + damp * d1;
        d2 = undamp * o2 + damp * d2;
        d3 = undamp * o3 + damp * d3;
        d4 = undamp * o4 + damp * d4;
        d5 = undamp * o5 + damp * d5;
        d6 = undamp * o6 + damp * d6;
        d7 = undamp * o7 + damp * d7;
        o0 = d0 * g0;
        o1 = d1 * g1;
        o2 = d2 * g2;
        o3 = d3 * g3;
        o4 = d4 * g4;
        o5 = d5 * g5;
        o6 = d6 * g6;
        o7 = d7 * g7;
        outLeft[i] += (o0 + o1 + o2 + o3 + o4 + o5 + o6 + o7) * outGain;
        outRight[i] += (o0 - o1 + o2 - o3 + o4 - o5 + o6 - o7) * outGain;
        // butterflies of span 1, 2, 4
        const a0 = o0 + o1, a1 = o0 - o1, a2 = o2 + o3, a3 = o2 - o3;
        const a4 = o4 + o5, a5 = o4 - o5, a6 = o6 + o7, a7 = o6 - o7;
        const b0 = a0 + a2, b2 = a0 - a2, b1 = a1 + a3, b3 = a1 - a3;
        const b4 = a4 + a6, b6 = a4 - a6, b5 = a5 + a7, b7 = a5 - a7;
        memory[q0 + i] = (b0 + b4) * norm + x;
        memory[q1 + i] = (b1 + b5) * norm - x;
        memory[q2 + i] = (b2 + b6) * norm + x;
        memory[q3 + i] = (b3 + b7) * norm - x;
        memory[q4 + i] = (b0 - b4) * norm + x;
        memory[q5 + i] = (b1 - b5) * norm - x;
        memory[q6 + i] = (b2 - b6) * norm + x;
        memory[q7 + i] = (b3 - b7) * norm - x;
      }
      p0 = p0 + run === n0 ? 0 : p0 + run;
      p1 = p1 + run === n1 ? 0 : p1 + run;
      p2 = p2 + run === n2 ? 0 : p2 + run;
      p3 = p3 + run === n3 ? 0 : p3 + run;
      p4 = p4 + run === n4 ? 0 : p4 + run;
      p5 = p5 + run === n5 ? 0 : p5 + run;
      p6 = p6 + run === n6 ? 0 : p6 + run;
      p7 = p7 + run === n7 ? 0 : p7 + run;
    }
    positions[0] = p0;
    positions[1] = p1;
    positions[2] = p2;
    positions[3] = p3;
    positions[4] = p4;
    positions[5] = p5;
    positions[6] = p6;
    positions[7] = p7;
    damping[0] = d0;
    damping[1] = d1;
    damping[2] = d2;
    damping[3] = d3;
    damping[4] = d4;
    damping[5] = d5;
    damping[6] = d6;
    damping[7] = d7;
  }
}

/**
 * Schroeder all-pass (g = 0.6) over `input` in place, through `line` from
 * `index` on, in runs over which the line does not wrap round; returns the new index.
 */
function allpass(input: Float64Array, length: number, line: Float32Array, index: number): number {
  const size = line.length;
  for (let i = 0; i < length; ) {
    const run = Math.min(length - i, size - index);
    const base = index - i;
    const end = i + run;
    for (; i < end; i++) {
      const delayed = line[base + i];
      const v = input[i] + 0.6 * delayed;
      line[base + i] = v;
      input[i] = delayed - 0.6 * v;
    }
    index = index + run === size ? 0 : index + run;
  }
  return index;
}

/** Ping-pong echo: the left line feeds the right and back, each repeat a little darker. */
export class PingPongDelay {
  private readonly left: Float32Array;
  private readonly right: Float32Array;
  private index = 0;
  private readonly tone: number;
  private toneL = 0;
  private toneR = 0;

  /** `latencyFrames` of the caller's processing are taken off the first echo */
  constructor(sampleRate: number, delaySeconds: number, private readonly feedback: number, latencyFrames = 0) {
    const length = Math.max(1, Math.round(delaySeconds * sampleRate) - latencyFrames);
    this.left = new Float32Array(length);
    this.right = new Float32Array(length);
    this.tone = onePoleCoefficient(3500, sampleRate);
  }

  process(send: Float32Array, outLeft: Float32Array, outRight: Float32Array, length: number, wet: number): void {
    const { left, right, feedback, tone } = this;
    let { index, toneL, toneR } = this;
    for (let i = 0; i < length; i++) {
      const l = left[index];
      const r = right[index];
      toneL += tone * (l - toneL);
      toneR += tone * (r - toneR);
      left[index] = send[i] + feedback * toneR;
      right[index] = feedback * toneL;
      index = index + 1 === left.length ? 0 : index + 1;
      outLeft[i] += l * wet;
      outRight[i] += r * wet;
    }
    this.index = index;
    this.toneL = toneL;
    this.toneR = toneR;
  }
}

/** Overdrive with a speaker-cabinet low-pass after it (mono). */
export class Drive {
  private readonly cabinet: number;
  private state = 0;

  constructor(sampleRate: number, private readonly amount: number) {
    this.cabinet = onePoleCoefficient(4200, sampleRate);
  }

  process(samples: Float32Array, length: number): void {
    const gain = this.amount;
    const makeup = (1 + gain) / gain / 2;
    const c = this.cabinet;
    let state = this.state;
    for (let i = 0; i < length; i++) {
      state += c * (softClip(samples[i] * gain) * makeup - state);
      samples[i] = state;
    }
    this.state = state;
  }
}

/** Gentle stereo low-pass (one pole): the dulled top end of tape and old samplers. */
export class ToneLowpass {
  private readonly coefficient: number;
  private stateL = 0;
  private stateR = 0;

  constructor(sampleRate: number, cutoffHz: number) {
    this.coefficient = onePoleCoefficient(cutoffHz, sampleRate);
  }

  process(left: Float32Array, right: Float32Array, length: number): void {
    const c = this.coefficient;
    let { stateL, stateR } = this;
    for (let i = 0; i < length; i++) {
      stateL += c * (left[i] - stateL);
      stateR += c * (right[i] - stateR);
      left[i] = stateL;
      right[i] = stateR;
    }
    this.stateL = stateL;
    this.stateR = stateR;
  }
}

/** Two-pole (Butterworth) stereo high-pass, in place. */
export class Highpass {
  private readonly b0: number;
  private readonly a1: number;
  private readonly a2: number;
  /** per channel: x1, x2, y1, y2 */
  private readonly state = new Float64Array(8);

  constructor(sampleRate: number, cutoffHz: number) {
    const w = (2 * Math.PI * cutoffHz) / sampleRate;
    const alpha = Math.sin(w) / Math.SQRT2;
    const cos = Math.cos(w);
    const a0 = 1 + alpha;
    // b = b0·(1, −2, 1)
    this.b0 = (1 + cos) / 2 / a0;
    this.a1 = (-2 * cos) / a0;
    this.a2 = (1 - alpha) / a0;
  }

  process(left: Float32Array, right: Float32Array, length: number): void {
    this.processRange(left, right, 0, length);
  }

  /** Filters frames [from, from + length) of each channel. */
  processRange(left: Float32Array, right: Float32Array, from: number, length: number): void {
    this.channel(left, from, from + length, 0);
    this.channel(right, from, from + length, 4);
  }

  private channel(x: Float32Array, from: number, to: number, at: number): void {
    const { b0, a1, a2, state } = this;
    let x1 = state[at], x2 = state[at + 1], y1 = state[at + 2], y2 = state[at + 3];
    for (let i = from; i < to; i++) {
      const v = x[i];
      // the previous output enters last: the shortest path round the recursion
      const y = b0 * (v - 2 * x1 + x2) - a2 * y2 - a1 * y1;
      x2 = x1;
      x1 = v;
      y2 = y1;
      y1 = y;
      x[i] = y;
    }
    state[at] = x1;
    state[at + 1] = x2;
    state[at + 2] = y1;
    state[at + 3] = y2;
  }
}

export interface WetSettings {
  reverbSeconds: number;
  reverbLines: 4 | 8;
  reverbDiffusion: boolean;
  brightness: number;
  delaySeconds: number;
  delayFeedback: number;
}

/** level of the echo return */
const DELAY_WET = 0.6;
/** full-rate send frames kept before each block for the decimator */
const SEND_HISTORY = 12;
/**
 * Latency of the half-rate path in low-rate frames: the decimator is centred 3
 * frames back (it reads 5 full-rate frames ahead), and the engine's low-rate bus
 * places the returns 3 frames later still (it renders that far ahead).
 */
export const HALF_RATE_WET_LATENCY = 6;

/**
 * The reverb and the echo, fed by their send buses. At 44.1/48 kHz
 * (`halfRate`) both run at half rate: the full-rate sends are decimated by a
 * half-band filter, sends from parts already synthesised at half rate are added
 * as they are, and the returns are left at half rate for the engine's low-rate
 * bus, which is interpolated up once with everything else rendered there.
 * Their tails are damped well below the half rate's Nyquist frequency anyway, so
 * this halves their cost for no audible change; the pre-delay and the echo
 * absorb the resampling latency.
 */
export class WetBus {
  readonly halfRate: boolean;
  private readonly reverb: Reverb;
  private readonly delay: PingPongDelay;
  /** half rate: [history | block] of each full-rate send, and the decimated sends */
  private readonly reverbIn: Float32Array;
  private readonly delayIn: Float32Array;
  private readonly reverbLow: Float32Array;
  private readonly delayLow: Float32Array;

  constructor(sampleRate: number, blockFrames: number, settings: WetSettings) {
    this.halfRate = sampleRate >= HALF_RATE_MIN_SAMPLE_RATE;
    const rate = this.halfRate ? sampleRate / 2 : sampleRate;
    const latency = this.halfRate ? HALF_RATE_WET_LATENCY : 0;
    this.reverb = new Reverb(rate, settings.reverbSeconds, settings.reverbLines, settings.reverbDiffusion, settings.brightness, latency);
    this.delay = new PingPongDelay(rate, settings.delaySeconds, settings.delayFeedback, latency);
    const half = this.halfRate ? Math.ceil(blockFrames / 2) : 0;
    const full = this.halfRate ? blockFrames : 0;
    this.reverbIn = new Float32Array(full && SEND_HISTORY + full);
    this.delayIn = new Float32Array(full && SEND_HISTORY + full);
    this.reverbLow = new Float32Array(half);
    this.delayLow = new Float32Array(half);
  }

  /**
   * Full rate: adds the reverb of `reverbSend` and the echo of `delaySend` (null
   * when nothing in the piece sends to it) to outLeft/outRight.
   */
  process(reverbSend: Float32Array, delaySend: Float32Array | null, outLeft: Float32Array, outRight: Float32Array, length: number): void {
    this.reverb.process(reverbSend, outLeft, outRight, length, 1);
    if (delaySend) this.delay.process(delaySend, outLeft, outRight, length, DELAY_WET);
  }

  /**
   * Half rate: decimates `length` frames of the full-rate sends, adds the
   * half-rate sends (ceil(length / 2) frames each, from `lowOffset` on) and adds
   * the returns to outLeft/outRight from `outOffset` on.
   */
  processLow(
    reverbSend: Float32Array,
    delaySend: Float32Array | null,
    lowReverbSend: Float32Array,
    lowDelaySend: Float32Array,
    lowOffset: number,
    outLeft: Float32Array,
    outRight: Float32Array,
    outOffset: number,
    length: number,
  ): void {
    const low = Math.ceil(length / 2);
    const { reverbLow, delayLow } = this;
    decimateHalfBand(reverbSend, this.reverbIn, reverbLow, length, lowReverbSend, lowOffset);
    const outL = outLeft.subarray(outOffset);
    const outR = outRight.subarray(outOffset);
    this.reverb.process(reverbLow, outL, outR, low, 1);
    if (delaySend) {
      decimateHalfBand(delaySend, this.delayIn, delayLow, length, lowDelaySend, lowOffset);
      this.delay.process(delayLow, outL, outR, low, DELAY_WET);
    }
  }
}

/**
 * Half-band decimation of one block of a send: low-rate frame k of the block is
 * the filtered send centred on full-rate frame 2k − 6 of it (the filter reads
 * five frames either side), plus frame lowOffset + k of the half-rate send
 * `alsoLow`. `staging` carries SEND_HISTORY frames of the previous block in
 * front of this one.
 */
function decimateHalfBand(send: Float32Array, staging: Float32Array, out: Float32Array, length: number, alsoLow: Float32Array, lowOffset: number): void {
  for (let i = 0; i < length; i++) staging[SEND_HISTORY + i] = send[i];
  const h0 = 0.5 * HALF_BAND_C0;
  const h1 = 0.5 * HALF_BAND_C1;
  const h2 = 0.5 * HALF_BAND_C2;
  const low = Math.ceil(length / 2);
  for (let k = 0, c = SEND_HISTORY - 6; k < low; k++, c += 2) {
    out[k] = alsoLow[lowOffset + k] + 0.5 * staging[c] + h0 * (staging[c - 1] + staging[c + 1]) + h1 * (staging[c - 3] + staging[c + 3]) + h2 * (staging[c - 5] + staging[c + 5]);
  }
  staging.copyWithin(0, length, length + SEND_HISTORY);
}
