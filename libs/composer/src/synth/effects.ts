/**
 * Effects that process whole blocks in place: a feedback-delay-network reverb,
 * a tempo-synced ping-pong delay, guitar-style drive and a tone low-pass.
 */
import { onePoleCoefficient, softClip } from './dsp';

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

  constructor(sampleRate: number, decaySeconds: number, lineCount: 4 | 8, diffuse: boolean, brightness: number) {
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
    this.preDelay = new Float32Array(Math.max(1, Math.round(0.018 * sampleRate)));
    this.diffusers = diffuse ? DIFFUSER_MS.map((ms) => new Float32Array(Math.max(2, Math.round((ms * sampleRate) / 1000)))) : [];
    this.diffuserIndex = new Int32Array(this.diffusers.length);
    this.hp = onePoleCoefficient(180, sampleRate);
  }

  /** Reads the (mono) send bus and adds the reverberation to outLeft/outRight. */
  process(send: Float32Array, outLeft: Float32Array, outRight: Float32Array, length: number, wet: number): void {
    const input = this.prepareInput(send, length);
    if (this.count === 4) this.processFourLines(input, outLeft, outRight, length, wet);
    else this.processEightLines(input, outLeft, outRight, length, wet);
  }

  /**
   * The network's input for the block: the send high-passed (input minus its
   * low-passed self), pre-delayed and, at higher quality, through the all-pass
   * diffusers. The diffusers form a plain chain, so each can run over the whole
   * block in turn with its state in registers.
   */
  private prepareInput(send: Float32Array, length: number): Float64Array {
    if (this.input.length < length) this.input = new Float64Array(length);
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
      // Schroeder all-pass, g = 0.6
      const line = diffusers[d];
      const size = line.length;
      let index = diffuserIndex[d];
      for (let i = 0; i < length; i++) {
        const delayed = line[index];
        const v = input[i] + 0.6 * delayed;
        line[index] = v;
        index = index + 1 === size ? 0 : index + 1;
        input[i] = delayed - 0.6 * v;
      }
      diffuserIndex[d] = index;
    }
    return input;
  }

  /** Four lines, unrolled so every state variable lives in a register. */
  private processFourLines(input: Float64Array, outLeft: Float32Array, outRight: Float32Array, length: number, wet: number): void {
    const { memory, starts, lengths, positions, gains, damping } = this;
    const damp = this.damp;
    const outGain = wet * 0.5;
    const [s0, s1, s2, s3] = starts;
    const [n0, n1, n2, n3] = lengths;
    const [g0, g1, g2, g3] = gains;
    let [p0, p1, p2, p3] = positions;
    let [d0, d1, d2, d3] = damping;
    for (let i = 0; i < length; i++) {
      const x = input[i];
      let o0 = memory[s0 + p0];
      let o1 = memory[s1 + p1];
      let o2 = memory[s2 + p2];
      let o3 = memory[s3 + p3];
      d0 = o0 + damp * (d0 - o0);
      d1 = o1 + damp * (d1 - o1);
      d2 = o2 + damp * (d2 - o2);
      d3 = o3 + damp * (d3 - o3);
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
      memory[s0 + p0] = 0.5 * (a + c) + x;
      memory[s1 + p1] = 0.5 * (b + d) - x;
      memory[s2 + p2] = 0.5 * (a - c) + x;
      memory[s3 + p3] = 0.5 * (b - d) - x;
      p0 = p0 + 1 === n0 ? 0 : p0 + 1;
      p1 = p1 + 1 === n1 ? 0 : p1 + 1;
      p2 = p2 + 1 === n2 ? 0 : p2 + 1;
      p3 = p3 + 1 === n3 ? 0 : p3 + 1;
    }
    positions.set([p0, p1, p2, p3]);
    damping.set([d0, d1, d2, d3]);
  }

  /** Eight lines, unrolled likewise; the Hadamard is an 8-point fast Walsh–Hadamard transform. */
  private processEightLines(input: Float64Array, outLeft: Float32Array, outRight: Float32Array, length: number, wet: number): void {
    const { memory, starts, lengths, positions, gains, damping } = this;
    const damp = this.damp;
    const norm = 0.3535533905932738; // 1/√8 keeps the Hadamard mix orthonormal
    const outGain = wet * norm;
    const [s0, s1, s2, s3, s4, s5, s6, s7] = starts;
    const [n0, n1, n2, n3, n4, n5, n6, n7] = lengths;
    const [g0, g1, g2, g3, g4, g5, g6, g7] = gains;
    let [p0, p1, p2, p3, p4, p5, p6, p7] = positions;
    let [d0, d1, d2, d3, d4, d5, d6, d7] = damping;
    for (let i = 0; i < length; i++) {
      const x = input[i];
      let o0 = memory[s0 + p0];
      let o1 = memory[s1 + p1];
      let o2 = memory[s2 + p2];
      let o3 = memory[s3 + p3];
      let o4 = memory[s4 + p4];
      let o5 = memory[s5 + p5];
      let o6 = memory[s6 + p6];
      let o7 = memory[s7 + p7];
      d0 = o0 + damp * (d0 - o0);
      d1 = o1 + damp * (d1 - o1);
      d2 = o2 + damp * (d2 - o2);
      d3 = o3 + damp * (d3 - o3);
      d4 = o4 + damp * (d4 - o4);
      d5 = o5 + damp * (d5 - o5);
      d6 = o6 + damp * (d6 - o6);
      d7 = o7 + damp * (d7 - o7);
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
      memory[s0 + p0] = (b0 + b4) * norm + x;
      memory[s1 + p1] = (b1 + b5) * norm - x;
      memory[s2 + p2] = (b2 + b6) * norm + x;
      memory[s3 + p3] = (b3 + b7) * norm - x;
      memory[s4 + p4] = (b0 - b4) * norm + x;
      memory[s5 + p5] = (b1 - b5) * norm - x;
      memory[s6 + p6] = (b2 - b6) * norm + x;
      memory[s7 + p7] = (b3 - b7) * norm - x;
      p0 = p0 + 1 === n0 ? 0 : p0 + 1;
      p1 = p1 + 1 === n1 ? 0 : p1 + 1;
      p2 = p2 + 1 === n2 ? 0 : p2 + 1;
      p3 = p3 + 1 === n3 ? 0 : p3 + 1;
      p4 = p4 + 1 === n4 ? 0 : p4 + 1;
      p5 = p5 + 1 === n5 ? 0 : p5 + 1;
      p6 = p6 + 1 === n6 ? 0 : p6 + 1;
      p7 = p7 + 1 === n7 ? 0 : p7 + 1;
    }
    positions.set([p0, p1, p2, p3, p4, p5, p6, p7]);
    damping.set([d0, d1, d2, d3, d4, d5, d6, d7]);
  }
}

/** Ping-pong echo: the left line feeds the right and back, each repeat a little darker. */
export class PingPongDelay {
  private readonly left: Float32Array;
  private readonly right: Float32Array;
  private index = 0;
  private readonly tone: number;
  private toneL = 0;
  private toneR = 0;

  constructor(sampleRate: number, delaySeconds: number, private readonly feedback: number) {
    const length = Math.max(1, Math.round(delaySeconds * sampleRate));
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
