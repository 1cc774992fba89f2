/**
 * Subtractive voices: detuned band-limited wavetable oscillators (spread across
 * the stereo field), an ADSR amplitude envelope and a two-pole low-pass whose
 * cut-off follows its own decaying envelope. Pads, strings, brass, leads, synth
 * bass and chiptune pulses are all settings of this one voice.
 *
 * The filter is two cascaded one-pole low-passes (12 dB/oct, no resonance): cheap
 * and unconditionally stable; its coefficient is recomputed every 64 samples
 * while the cut-off envelope moves, then left alone. The amplitude envelope is
 * one linear recurrence per segment (attack, decay, release), so the per-sample
 * loop has no branches on it, and one- and two-oscillator voices (all but the
 * 'high' quality unison) keep their oscillators in registers.
 */
import { onePoleCoefficient, SINE_TABLE, SINE_TABLE_SIZE, WAVETABLE_SIZE, WavetableBank, Waveform } from '../dsp';
import { Voice, VoiceTiming } from '../voice';

export interface SubtractivePatch {
  waveform: Waveform;
  /** oscillators per note at 'standard' quality (draft uses fewer, high more) */
  unison: number;
  detuneCents: number;
  attackSeconds: number;
  decaySeconds: number;
  sustain: number;
  releaseSeconds: number;
  /** cut-off at rest, as a multiple of the fundamental, and the extra amount the envelope adds */
  cutoff: number;
  cutoffEnvelope: number;
  cutoffDecaySeconds: number;
  /** vibrato depth (cents), rate (Hz) and onset delay (s) */
  vibratoCents: number;
  vibratoHz: number;
  vibratoDelaySeconds: number;
  /** add a sine one octave below (sub oscillator), 0..1 */
  sub: number;
}

const base = {
  unison: 1, detuneCents: 0, decaySeconds: 0.3, sustain: 1, cutoffEnvelope: 0, cutoffDecaySeconds: 0.3,
  vibratoCents: 0, vibratoHz: 5, vibratoDelaySeconds: 0.3, sub: 0,
};

export const PAD: SubtractivePatch = { ...base, waveform: 'saw', unison: 2, detuneCents: 9, attackSeconds: 0.6, releaseSeconds: 1.2, cutoff: 4, cutoffEnvelope: 2, cutoffDecaySeconds: 2 };
export const STRINGS: SubtractivePatch = { ...base, waveform: 'soft-saw', unison: 2, detuneCents: 6, attackSeconds: 0.35, releaseSeconds: 0.6, cutoff: 6, cutoffEnvelope: 3, cutoffDecaySeconds: 0.8, vibratoCents: 8, vibratoHz: 5.2, vibratoDelaySeconds: 0.35 };
export const BRASS: SubtractivePatch = { ...base, waveform: 'saw', unison: 2, detuneCents: 5, attackSeconds: 0.05, decaySeconds: 0.4, sustain: 0.8, releaseSeconds: 0.18, cutoff: 2.5, cutoffEnvelope: 5, cutoffDecaySeconds: 0.35, vibratoCents: 6, vibratoHz: 5, vibratoDelaySeconds: 0.4 };
export const LEAD: SubtractivePatch = { ...base, waveform: 'square', unison: 2, detuneCents: 7, attackSeconds: 0.01, decaySeconds: 0.3, sustain: 0.75, releaseSeconds: 0.15, cutoff: 5, cutoffEnvelope: 6, cutoffDecaySeconds: 0.25, vibratoCents: 12, vibratoHz: 5.5, vibratoDelaySeconds: 0.25 };
export const SYNTH_BASS: SubtractivePatch = { ...base, waveform: 'saw', unison: 1, attackSeconds: 0.004, decaySeconds: 0.25, sustain: 0.7, releaseSeconds: 0.06, cutoff: 3, cutoffEnvelope: 10, cutoffDecaySeconds: 0.12, sub: 0.4 };
/**
 * Woodwinds and choir for the all-synthesised path (draft) and banks that lack them:
 * a breathy triangle flute, a hollow square clarinet (odd harmonics), a nasal narrow-pulse
 * oboe and bassoon, a reedy saw saxophone, and a slow, detuned, vibrato choir.
 */
export const FLUTE: SubtractivePatch = { ...base, waveform: 'triangle', attackSeconds: 0.06, decaySeconds: 0.3, sustain: 0.85, releaseSeconds: 0.12, cutoff: 5, cutoffEnvelope: 2, cutoffDecaySeconds: 0.3, vibratoCents: 10, vibratoHz: 5, vibratoDelaySeconds: 0.3 };
export const CLARINET: SubtractivePatch = { ...base, waveform: 'square', attackSeconds: 0.03, decaySeconds: 0.3, sustain: 0.85, releaseSeconds: 0.1, cutoff: 3, cutoffEnvelope: 2, cutoffDecaySeconds: 0.25, vibratoCents: 4, vibratoHz: 5, vibratoDelaySeconds: 0.4 };
export const OBOE: SubtractivePatch = { ...base, waveform: 'pulse25', attackSeconds: 0.03, decaySeconds: 0.3, sustain: 0.85, releaseSeconds: 0.1, cutoff: 4, cutoffEnvelope: 3, cutoffDecaySeconds: 0.25, vibratoCents: 8, vibratoHz: 5.5, vibratoDelaySeconds: 0.3 };
export const SAXOPHONE: SubtractivePatch = { ...base, waveform: 'saw', attackSeconds: 0.03, decaySeconds: 0.3, sustain: 0.75, releaseSeconds: 0.1, cutoff: 3, cutoffEnvelope: 4, cutoffDecaySeconds: 0.3, vibratoCents: 10, vibratoHz: 5, vibratoDelaySeconds: 0.35 };
export const BASSOON: SubtractivePatch = { ...base, waveform: 'pulse25', attackSeconds: 0.04, decaySeconds: 0.3, sustain: 0.85, releaseSeconds: 0.1, cutoff: 3, cutoffEnvelope: 2, cutoffDecaySeconds: 0.25, vibratoCents: 5, vibratoHz: 5, vibratoDelaySeconds: 0.4 };
export const CHOIR: SubtractivePatch = { ...base, waveform: 'soft-saw', unison: 3, detuneCents: 10, attackSeconds: 0.4, decaySeconds: 1, sustain: 0.9, releaseSeconds: 0.8, cutoff: 3, cutoffEnvelope: 1, cutoffDecaySeconds: 1, vibratoCents: 6, vibratoHz: 5, vibratoDelaySeconds: 0.3 };
export const CHIP_LEAD: SubtractivePatch = { ...base, waveform: 'square', attackSeconds: 0.002, decaySeconds: 0.1, sustain: 0.85, releaseSeconds: 0.03, cutoff: 60, vibratoCents: 15, vibratoHz: 6, vibratoDelaySeconds: 0.2 };
export const CHIP_ARP: SubtractivePatch = { ...base, waveform: 'pulse12', attackSeconds: 0.001, decaySeconds: 0.1, sustain: 0.8, releaseSeconds: 0.02, cutoff: 60 };
export const CHIP_BASS: SubtractivePatch = { ...base, waveform: 'triangle', attackSeconds: 0.002, releaseSeconds: 0.02, cutoff: 60 };

/** Fixed-point phase: a full cycle is 2³²; WAVETABLE_SIZE = 2¹¹ entries, SINE_TABLE_SIZE = 2¹². */
const PHASE_SHIFT = 32 - Math.log2(WAVETABLE_SIZE);
const PHASE_FRACTION = (1 << PHASE_SHIFT) - 1;
const PHASE_SCALE = 1 / (1 << PHASE_SHIFT);
const SINE_SHIFT = 32 - Math.log2(SINE_TABLE_SIZE);

/** A phase in [0, 1) as a signed 32-bit fixed-point number. */
function toFixedPhase(phase: number): number {
  return Math.round(phase * 2 ** 32) | 0;
}

/** A phase increment (cycles per frame, < 0.5) in fixed point. */
function toFixedIncrement(increment: number): number {
  return Math.round(increment * 2 ** 32) | 0;
}

/** below this (≈ −70 dB under a full-velocity note) a released voice is inaudible in the mix */
const SILENCE = 3e-4;
/** frames between updates of the filter cut-off and the vibrato (1.5 ms at 44.1 kHz) */
const CONTROL_INTERVAL = 64;
/** the cut-off envelope stops moving the filter once it adds less than this fraction of the resting cut-off */
const CUTOFF_SETTLED = 1e-3;

export class SubtractiveVoice implements Voice {
  private readonly table: Float32Array;
  private readonly phases: Float64Array;
  private readonly increments: Float64Array;
  /** +1 = left, −1 = right, 0 = both */
  private readonly sides: Float64Array;
  private readonly count: number;
  private readonly attackFrames: number;
  private readonly decayCoef: number;
  private readonly releaseCoef: number;
  private readonly cutoffCoef: number;
  private readonly vibratoIncrement: number;
  private readonly vibratoDepth: number;
  private readonly vibratoDelayFrames: number;
  private readonly subIncrement: number;
  /** subIncrement in fixed point */
  private readonly subStep: number;
  private readonly subLevel: number;
  /** cut-off at rest and the envelope's extra amount, in Hz, velocity included */
  private readonly restHz: number;
  private readonly envelopeHz: number;
  private env = 0;
  private cutoffEnv = 1;
  private filterCoef = 0;
  private l1 = 0;
  private l2 = 0;
  private r1 = 0;
  private r2 = 0;
  private subPhase = 0;
  /** one- and two-oscillator voices: phases as 32-bit fixed point (wrap-around is free) */
  private q0: number;
  private q1: number;
  private qSub = 0;
  /** their fixed-point increments, recomputed only when the vibrato moves the pitch */
  private e0: number;
  private e1: number;
  private vibratoPhase = 0;
  private pitch = 1;
  private frame = 0;
  /**
   * The per-sample loop for this voice's oscillator count, picked once. Three methods, not
   * three branches of one: V8 then optimizes each on its own, where in one method the first
   * voice with a new count would discard the optimized code of all three and compile them
   * again (40–60 ms of compiling inside a 30 s render).
   */
  private readonly oscillate: (voice: SubtractiveVoice, left: Float32Array, right: Float32Array, from: number, to: number, a: number, b: number, gain: number) => void;

  constructor(
    private readonly patch: SubtractivePatch,
    hz: number,
    velocity: number,
    private readonly timing: VoiceTiming,
    private readonly sampleRate: number,
    unison: number,
    phaseSeed: number,
  ) {
    this.table = WavetableBank.get(patch.waveform, sampleRate).tableFor(hz);
    this.count = Math.max(1, unison);
    this.phases = new Float64Array(this.count);
    this.increments = new Float64Array(this.count);
    this.sides = new Float64Array(this.count);
    for (let k = 0; k < this.count; k++) {
      const spread = this.count === 1 ? 0 : (k / (this.count - 1)) * 2 - 1;
      this.increments[k] = (hz * Math.pow(2, (spread * patch.detuneCents) / 1200)) / sampleRate;
      this.sides[k] = this.count === 1 ? 0 : spread;
      // Free-running oscillators: a different start phase per voice, from the seed.
      this.phases[k] = ((phaseSeed >>> (k * 5)) & 1023) / 1024;
    }
    this.q0 = toFixedPhase(this.phases[0]);
    this.q1 = this.count > 1 ? toFixedPhase(this.phases[1]) : 0;
    this.e0 = toFixedIncrement(this.increments[0]);
    this.e1 = this.count > 1 ? toFixedIncrement(this.increments[1]) : 0;
    this.oscillate = this.count === 1 ? SubtractiveVoice.oneOscillator : this.count === 2 ? SubtractiveVoice.twoOscillators : SubtractiveVoice.manyOscillators;
    this.attackFrames = Math.max(1, Math.round(patch.attackSeconds * sampleRate));
    this.decayCoef = Math.exp(-1 / Math.max(1, patch.decaySeconds * sampleRate * 0.25));
    this.releaseCoef = Math.pow(0.001, 1 / Math.max(1, patch.releaseSeconds * sampleRate));
    this.cutoffCoef = Math.pow(0.001, CONTROL_INTERVAL / Math.max(1, patch.cutoffDecaySeconds * sampleRate));
    this.vibratoIncrement = patch.vibratoHz / sampleRate;
    this.vibratoDepth = Math.pow(2, patch.vibratoCents / 1200) - 1;
    this.vibratoDelayFrames = patch.vibratoDelaySeconds * sampleRate;
    // A sub oscillator an octave below fades out under 40 Hz: lower is felt as rumble, not heard.
    this.subIncrement = hz / 2 / sampleRate;
    this.subStep = toFixedIncrement(this.subIncrement);
    this.subLevel = patch.sub * Math.min(1, Math.max(0, (hz / 2 - 25) / 15));
    const brightness = 0.35 + 0.65 * velocity;
    this.restHz = hz * patch.cutoff * brightness;
    this.envelopeHz = hz * patch.cutoffEnvelope * brightness;
  }

  render(left: Float32Array, right: Float32Array, blockStart: number, length: number): boolean {
    const { increments, count, timing, patch } = this;
    let from = timing.startFrame - blockStart;
    if (from >= length) return true;
    if (from < 0) from = 0;
    const releaseAt = timing.releaseFrame - timing.startFrame;
    const gain = timing.amplitude / Math.sqrt(count);
    const sustain = patch.sustain;
    const attackFrames = this.attackFrames;
    const vibrato = patch.vibratoCents > 0;
    let { cutoffEnv, vibratoPhase, frame } = this;
    let i = from;
    while (i < length) {
      const intoControl = frame % CONTROL_INTERVAL;
      if (intoControl === 0) {
        // Control rate: filter cut-off (while its envelope still moves it) and vibrato.
        if (frame === 0 || cutoffEnv > 0) {
          const extra = this.envelopeHz * cutoffEnv;
          if (extra <= CUTOFF_SETTLED * this.restHz) cutoffEnv = 0;
          this.filterCoef = onePoleCoefficient(this.restHz + (cutoffEnv > 0 ? extra : 0), this.sampleRate);
          cutoffEnv *= this.cutoffCoef;
        }
        if (vibrato && frame > this.vibratoDelayFrames) {
          vibratoPhase += this.vibratoIncrement * CONTROL_INTERVAL;
          if (vibratoPhase >= 1) vibratoPhase -= 1;
          const ramp = Math.min(1, (frame - this.vibratoDelayFrames) / this.sampleRate);
          const pitch = 1 + this.vibratoDepth * ramp * SINE_TABLE[(vibratoPhase * SINE_TABLE_SIZE) | 0];
          this.pitch = pitch;
          this.e0 = toFixedIncrement(increments[0] * pitch);
          if (count > 1) this.e1 = toFixedIncrement(increments[1] * pitch);
        }
      }
      // A run of frames with one envelope segment and one control setting:
      // env ← a·env + b covers the linear attack, the decay towards sustain and the release.
      let end = Math.min(length, i + CONTROL_INTERVAL - intoControl);
      let a: number;
      let b: number;
      if (frame < attackFrames) {
        end = Math.min(end, i + attackFrames - frame);
        this.env = (frame - 1) / attackFrames;
        a = 1;
        b = 1 / attackFrames;
      } else if (frame < releaseAt) {
        end = Math.min(end, i + releaseAt - frame);
        a = this.decayCoef;
        b = sustain * (1 - this.decayCoef);
      } else {
        a = this.releaseCoef;
        b = 0;
      }
      this.oscillate(this, left, right, i, end, a, b, gain);
      frame += end - i;
      i = end;
    }
    this.cutoffEnv = cutoffEnv;
    this.vibratoPhase = vibratoPhase;
    this.frame = frame;
    return !(frame > releaseAt && this.env < SILENCE);
  }

  // The per-sample loops, one per oscillator count: frames [from, to) of one run (one envelope
  // segment, one filter setting), state read from and written back to the voice. One-pole
  // steps are y = k·y + c·x: only one multiply and one add on the recursion's critical path
  // (y + c·(x − y) has three).

  /** One oscillator in both channels; fixed-point phase: the top 11 bits index the table, the rest interpolate. */
  private static oneOscillator(this: void, voice: SubtractiveVoice, left: Float32Array, right: Float32Array, from: number, to: number, a: number, b: number, gain: number): void {
    const { table, subLevel, subStep, e0, filterCoef: c } = voice;
    const k = 1 - c;
    let { env, q0, qSub, l1, l2 } = voice;
    for (let i = from; i < to; i++) {
      env = a * env + b;
      q0 = (q0 + e0) | 0;
      const j0 = q0 >>> PHASE_SHIFT;
      const t0 = table[j0];
      let v = t0 + (q0 & PHASE_FRACTION) * PHASE_SCALE * (table[j0 + 1] - t0);
      if (subLevel > 0) {
        qSub = (qSub + subStep) | 0;
        v += subLevel * SINE_TABLE[qSub >>> SINE_SHIFT];
      }
      l1 = k * l1 + c * v;
      l2 = k * l2 + c * l1;
      const out = l2 * env * gain;
      left[i] += out;
      right[i] += out;
    }
    voice.env = env;
    voice.q0 = q0;
    voice.qSub = qSub;
    voice.l1 = l1;
    voice.l2 = l2;
  }

  /** Two oscillators spread hard left and right: each channel hears one, doubled. */
  private static twoOscillators(this: void, voice: SubtractiveVoice, left: Float32Array, right: Float32Array, from: number, to: number, a: number, b: number, gain: number): void {
    const { table, subLevel, subStep, e0, e1, filterCoef: c } = voice;
    const k = 1 - c;
    let { env, q0, q1, qSub, l1, l2, r1, r2 } = voice;
    for (let i = from; i < to; i++) {
      env = a * env + b;
      q0 = (q0 + e0) | 0;
      q1 = (q1 + e1) | 0;
      const j0 = q0 >>> PHASE_SHIFT;
      const j1 = q1 >>> PHASE_SHIFT;
      const t0 = table[j0];
      const t1 = table[j1];
      let sl = 2 * (t1 + (q1 & PHASE_FRACTION) * PHASE_SCALE * (table[j1 + 1] - t1));
      let sr = 2 * (t0 + (q0 & PHASE_FRACTION) * PHASE_SCALE * (table[j0 + 1] - t0));
      if (subLevel > 0) {
        qSub = (qSub + subStep) | 0;
        const sub = subLevel * SINE_TABLE[qSub >>> SINE_SHIFT];
        sl += sub;
        sr += sub;
      }
      l1 = k * l1 + c * sl;
      l2 = k * l2 + c * l1;
      r1 = k * r1 + c * sr;
      r2 = k * r2 + c * r1;
      const g = env * gain;
      left[i] += l2 * g;
      right[i] += r2 * g;
    }
    voice.env = env;
    voice.q0 = q0;
    voice.q1 = q1;
    voice.qSub = qSub;
    voice.l1 = l1;
    voice.l2 = l2;
    voice.r1 = r1;
    voice.r2 = r2;
  }

  /** Three or more oscillators across the stereo field ('high' quality unison), floating-point phases. */
  private static manyOscillators(this: void, voice: SubtractiveVoice, left: Float32Array, right: Float32Array, from: number, to: number, a: number, b: number, gain: number): void {
    const { table, phases, increments, sides, count, pitch, subLevel, subIncrement, filterCoef: c } = voice;
    const k = 1 - c;
    let { env, subPhase, l1, l2, r1, r2 } = voice;
    for (let i = from; i < to; i++) {
      env = a * env + b;
      let sumL = 0;
      let sumR = 0;
      for (let n = 0; n < count; n++) {
        let phase = phases[n] + increments[n] * pitch;
        if (phase >= 1) phase -= 1;
        phases[n] = phase;
        const position = phase * WAVETABLE_SIZE;
        const j = position | 0;
        const v = table[j] + (position - j) * (table[j + 1] - table[j]);
        const side = sides[n];
        sumL += v * (1 + side);
        sumR += v * (1 - side);
      }
      if (subLevel > 0) {
        subPhase += subIncrement;
        if (subPhase >= 1) subPhase -= 1;
        const sub = subLevel * SINE_TABLE[(subPhase * SINE_TABLE_SIZE) | 0];
        sumL += sub;
        sumR += sub;
      }
      l1 = k * l1 + c * sumL;
      l2 = k * l2 + c * l1;
      r1 = k * r1 + c * sumR;
      r2 = k * r2 + c * r1;
      const g = env * gain;
      left[i] += l2 * g;
      right[i] += r2 * g;
    }
    voice.env = env;
    voice.subPhase = subPhase;
    voice.l1 = l1;
    voice.l2 = l2;
    voice.r1 = r1;
    voice.r2 = r2;
  }
}
