/**
 * Additive voices: a sum of sine partials, each with its own exponential decay.
 * Covers struck and blown tones whose spectra are simple to state: acoustic
 * piano (near-harmonic partials, stiff-string inharmonicity, upper partials dying
 * first, a felt-hammer thump), electric piano (a tine's bell-like overtone that
 * fades quickly), drawbar organ (steady partials) and bells (inharmonic partials).
 *
 * Each partial is a damped recursive sine oscillator (a two-pole resonator),
 * y[n] = 2r·cos(ω)·y[n−1] − r²·y[n−2], whose output is A·rⁿ·sin(nω): the sine and
 * its exponential decay come out of the same two multiplies per sample, with no
 * table lookups and exact frequency.
 */
import { Noise, onePoleCoefficient, t60Coefficient } from '../dsp';
import { Voice, VoiceTiming } from '../voice';

export interface AdditivePatch {
  /** partial frequencies as multiples of the fundamental */
  ratios: readonly number[];
  amplitudes: readonly number[];
  /** T60 of each partial (s) for a note at middle C; Infinity = sustained */
  decays: readonly number[];
  /** stiff-string inharmonicity B at middle C: f_n = n·f0·√(1 + B·n²) */
  inharmonicity: number;
  /** higher notes decay faster: T60 ∝ (261.6 / f0)^pitchDecay */
  pitchDecay: number;
  /** 0..1: how much softer notes lose their upper partials */
  velocityBrightness: number;
  attackSeconds: number;
  releaseSeconds: number;
  /** level of a short low-passed noise burst at the attack (hammer, key click) */
  thump: number;
}

export const PIANO: AdditivePatch = {
  ratios: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  amplitudes: [1, 0.55, 0.32, 0.22, 0.14, 0.1, 0.07, 0.05, 0.035, 0.025, 0.018, 0.012],
  decays: [7, 5, 3.6, 2.8, 2.2, 1.8, 1.5, 1.2, 1, 0.85, 0.7, 0.6],
  inharmonicity: 0.00035,
  pitchDecay: 0.6,
  velocityBrightness: 0.8,
  attackSeconds: 0.002,
  releaseSeconds: 0.22,
  thump: 0.12,
};

export const ELECTRIC_PIANO: AdditivePatch = {
  ratios: [1, 2, 3, 7.1, 4, 5],
  amplitudes: [1, 0.32, 0.1, 0.22, 0.05, 0.03],
  decays: [4.5, 2.6, 1.6, 0.35, 1.2, 0.9],
  inharmonicity: 0,
  pitchDecay: 0.5,
  velocityBrightness: 0.9,
  attackSeconds: 0.003,
  releaseSeconds: 0.18,
  thump: 0.03,
};

export const ORGAN: AdditivePatch = {
  ratios: [1, 2, 0.5, 3, 4, 6],
  amplitudes: [1, 0.6, 0.55, 0.35, 0.25, 0.15],
  decays: [Infinity, Infinity, Infinity, Infinity, Infinity, Infinity],
  inharmonicity: 0,
  pitchDecay: 0,
  velocityBrightness: 0,
  attackSeconds: 0.008,
  releaseSeconds: 0.07,
  thump: 0.05,
};

export const BELLS: AdditivePatch = {
  ratios: [1, 2.76, 5.4, 8.93, 2],
  amplitudes: [1, 0.45, 0.22, 0.1, 0.15],
  decays: [2.6, 1.1, 0.55, 0.3, 1.6],
  inharmonicity: 0,
  pitchDecay: 0.4,
  velocityBrightness: 0.6,
  attackSeconds: 0.001,
  releaseSeconds: 0.9,
  thump: 0,
};

const MIDDLE_C_HZ = 261.63;
/** below this (≈ −70 dB under a full-velocity note) a voice is inaudible in the mix */
const SILENCE = 3e-4;

export class AdditiveVoice implements Voice {
  /** partials still sounding: the first `active` of them (longest-lived first, so the last die first) */
  private active: number;
  /** per partial: 2r·cos(ω), r², the last two outputs, and the current amplitude A·rⁿ (for the silence test) */
  private readonly coef: Float64Array;
  private readonly decaySquared: Float64Array;
  private readonly y1: Float64Array;
  private readonly y2: Float64Array;
  private readonly amp: Float64Array;
  /** 1/sin²ω per partial: the current amplitude follows from the last two outputs */
  private readonly inverseSineSquared: Float64Array;
  private readonly releaseCoef: number;
  private readonly attackFrames: number;
  private readonly thumpLevel: number;
  private readonly thumpDecay: number;
  private readonly thumpSmooth: number;
  private readonly noise: Noise;
  private thumpEnv: number;
  private thumpState = 0;
  private frame = 0;
  private released = 1;

  constructor(patch: AdditivePatch, hz: number, velocity: number, private readonly timing: VoiceTiming, sampleRate: number, maxPartials: number, seed: number) {
    const nyquistGuard = sampleRate * 0.45;
    const b = patch.inharmonicity * Math.pow(hz / MIDDLE_C_HZ, 2);
    const pitchScale = Math.pow(MIDDLE_C_HZ / hz, patch.pitchDecay);
    const partials: { w: number; a: number; d: number }[] = [];
    for (let k = 0; k < patch.ratios.length && partials.length < maxPartials; k++) {
      const n = patch.ratios[k];
      const f = hz * n * Math.sqrt(1 + b * n * n);
      if (f >= nyquistGuard) continue;
      // Softer notes are darker: partial k loses up to velocityBrightness·k/4 in amplitude exponent.
      const a = patch.amplitudes[k] * Math.pow(velocity, patch.velocityBrightness * Math.min(3, k / 4));
      const t60 = patch.decays[k] * pitchScale;
      partials.push({ w: (2 * Math.PI * f) / sampleRate, a, d: Number.isFinite(t60) ? t60Coefficient(t60, sampleRate) : 1 });
    }
    let norm = 0;
    for (const p of partials) norm += p.a;
    // Longest-lived first (stable, so equal decays keep the patch's order).
    partials.sort((p, q) => q.d - p.d);
    this.active = partials.length;
    const padded = Math.ceil(partials.length / 4) * 4;
    this.coef = new Float64Array(padded);
    this.decaySquared = new Float64Array(padded);
    this.y1 = new Float64Array(padded);
    this.y2 = new Float64Array(padded);
    this.amp = new Float64Array(padded);
    this.inverseSineSquared = new Float64Array(padded);
    partials.forEach((p, k) => {
      const amplitude = (p.a / Math.max(1, norm)) * timing.amplitude;
      this.coef[k] = 2 * p.d * Math.cos(p.w);
      this.decaySquared[k] = p.d * p.d;
      // y[n] = amplitude·r^(n−1)·sin(nω) from the first rendered frame (n = 1): start
      // the recursion at y[0] = 0 and y[−1] = −amplitude·sin(ω)/r².
      this.y1[k] = 0;
      this.y2[k] = (-amplitude * Math.sin(p.w)) / (p.d * p.d);
      this.amp[k] = amplitude;
      const sine = Math.sin(p.w);
      this.inverseSineSquared[k] = 1 / Math.max(1e-12, sine * sine);
    });
    this.releaseCoef = t60Coefficient(patch.releaseSeconds, sampleRate);
    this.attackFrames = Math.max(1, Math.round(patch.attackSeconds * sampleRate));
    this.thumpLevel = patch.thump * timing.amplitude;
    this.thumpEnv = this.thumpLevel;
    this.thumpDecay = t60Coefficient(0.03, sampleRate);
    this.thumpSmooth = onePoleCoefficient(Math.min(1200, hz * 3), sampleRate);
    this.noise = new Noise(seed);
  }

  /**
   * Partials are rendered a few at a time over the whole block (their state stays
   * in registers), summed in a scratch buffer, then enveloped into the output.
   */
  render(left: Float32Array, _right: Float32Array, blockStart: number, length: number): boolean {
    const { coef, decaySquared, y1, y2, amp, timing } = this;
    const count = this.active;
    let from = timing.startFrame - blockStart;
    if (from >= length) return true;
    if (from < 0) from = 0;
    const scratch = scratchBuffer(length);
    scratch.fill(0, from, length);
    // Four partials per pass: each recursion is a chain of dependent multiplies, so
    // running four side by side keeps the CPU's pipelines busy. (The arrays are
    // padded to a multiple of four with silent partials: a pass costs the same
    // with one partial or four.)
    for (let k = 0; k < count; k += 4) {
      const c0 = coef[k], c1 = coef[k + 1], c2 = coef[k + 2], c3 = coef[k + 3];
      const r0 = decaySquared[k], r1 = decaySquared[k + 1], r2 = decaySquared[k + 2], r3 = decaySquared[k + 3];
      let a0 = y1[k], a1 = y1[k + 1], a2 = y1[k + 2], a3 = y1[k + 3];
      let b0 = y2[k], b1 = y2[k + 1], b2 = y2[k + 2], b3 = y2[k + 3];
      for (let i = from; i < length; i++) {
        const v0 = c0 * a0 - r0 * b0;
        const v1 = c1 * a1 - r1 * b1;
        const v2 = c2 * a2 - r2 * b2;
        const v3 = c3 * a3 - r3 * b3;
        b0 = a0;
        a0 = v0;
        b1 = a1;
        a1 = v1;
        b2 = a2;
        a2 = v2;
        b3 = a3;
        a3 = v3;
        scratch[i] += v0 + v1 + (v2 + v3);
      }
      y1[k] = a0;
      y1[k + 1] = a1;
      y1[k + 2] = a2;
      y1[k + 3] = a3;
      y2[k] = b0;
      y2[k + 1] = b1;
      y2[k + 2] = b2;
      y2[k + 3] = b3;
    }
    const frames = length - from;
    let frame = this.frame;
    let released = this.released;
    let thumpEnv = this.thumpEnv;
    let thumpState = this.thumpState;
    const { attackFrames, releaseCoef, thumpDecay, thumpSmooth, noise } = this;
    const releaseFrame = timing.releaseFrame - timing.startFrame;
    let i = from;
    // Attack, hammer thump and release need per-frame work; the long middle of a note does not.
    if (frame >= attackFrames && thumpEnv <= 1e-5 && frame + frames <= releaseFrame) {
      for (; i < length; i++) left[i] += scratch[i];
      frame += frames;
    } else {
      for (; i < length; i++, frame++) {
        let out = scratch[i];
        if (thumpEnv > 1e-5) {
          thumpState += thumpSmooth * (noise.next() - thumpState);
          out += thumpState * thumpEnv;
          thumpEnv *= thumpDecay;
        }
        if (frame < attackFrames) out *= frame / attackFrames;
        if (frame >= releaseFrame) released *= releaseCoef;
        left[i] += out * released;
      }
    }
    this.frame = frame;
    this.released = released;
    this.thumpEnv = thumpEnv;
    this.thumpState = thumpState;
    if (released < SILENCE) return false;
    // Partials that have died away (12 dB under the voice's own silence threshold)
    // stop being computed; the voice ends with the last audible one. A damped
    // sinusoid's amplitude follows from its last two values:
    // A²·sin²ω = y[n]² + r²·y[n−1]² − 2r·cos ω·y[n]·y[n−1].
    const { inverseSineSquared } = this;
    let active = this.active;
    let loudest = 0;
    for (let p = active - 1; p >= 0; p--) {
      const a = y1[p];
      const b = y2[p];
      const squared = (a * a + decaySquared[p] * b * b - coef[p] * a * b) * inverseSineSquared[p];
      amp[p] = Math.sqrt(Math.max(0, squared));
      if (p === active - 1 && amp[p] * released <= SILENCE / 4) active--;
      if (amp[p] > loudest) loudest = amp[p];
    }
    this.active = active;
    return loudest * released > SILENCE;
  }
}

/** One scratch block shared by all additive voices (they render one after another). */
let scratch = new Float64Array(0);
function scratchBuffer(length: number): Float64Array {
  if (scratch.length < length) scratch = new Float64Array(length);
  return scratch;
}
