/**
 * Subtractive voices: detuned band-limited wavetable oscillators (spread across
 * the stereo field), an ADSR amplitude envelope and a two-pole low-pass whose
 * cut-off follows its own decaying envelope. Pads, strings, brass, leads, synth
 * bass and chiptune pulses are all settings of this one voice.
 *
 * The filter is two cascaded one-pole low-passes (12 dB/oct, no resonance): cheap
 * and unconditionally stable; its coefficient is recomputed every 16 samples as
 * the cut-off envelope moves.
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
export const CHIP_LEAD: SubtractivePatch = { ...base, waveform: 'square', attackSeconds: 0.002, decaySeconds: 0.1, sustain: 0.85, releaseSeconds: 0.03, cutoff: 60, vibratoCents: 15, vibratoHz: 6, vibratoDelaySeconds: 0.2 };
export const CHIP_ARP: SubtractivePatch = { ...base, waveform: 'pulse12', attackSeconds: 0.001, decaySeconds: 0.1, sustain: 0.8, releaseSeconds: 0.02, cutoff: 60 };
export const CHIP_BASS: SubtractivePatch = { ...base, waveform: 'triangle', attackSeconds: 0.002, releaseSeconds: 0.02, cutoff: 60 };

/** below this (≈ −70 dB under a full-velocity note) a released voice is inaudible in the mix */
const SILENCE = 3e-4;
const CONTROL_INTERVAL = 16;

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
  private env = 0;
  private cutoffEnv = 1;
  private filterCoef = 0;
  private l1 = 0;
  private l2 = 0;
  private r1 = 0;
  private r2 = 0;
  private subPhase = 0;
  private vibratoPhase = 0;
  private pitch = 1;
  private frame = 0;

  constructor(
    private readonly patch: SubtractivePatch,
    private readonly hz: number,
    private readonly velocity: number,
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
    this.attackFrames = Math.max(1, Math.round(patch.attackSeconds * sampleRate));
    this.decayCoef = Math.exp(-1 / Math.max(1, patch.decaySeconds * sampleRate * 0.25));
    this.releaseCoef = Math.pow(0.001, 1 / Math.max(1, patch.releaseSeconds * sampleRate));
    this.cutoffCoef = Math.pow(0.001, CONTROL_INTERVAL / Math.max(1, patch.cutoffDecaySeconds * sampleRate));
    this.vibratoIncrement = patch.vibratoHz / sampleRate;
    this.vibratoDepth = Math.pow(2, patch.vibratoCents / 1200) - 1;
    this.vibratoDelayFrames = patch.vibratoDelaySeconds * sampleRate;
    this.subIncrement = hz / 2 / sampleRate;
  }

  render(left: Float32Array, right: Float32Array, blockStart: number, length: number): boolean {
    const { table, phases, increments, sides, count, timing, patch } = this;
    let from = timing.startFrame - blockStart;
    if (from >= length) return true;
    if (from < 0) from = 0;
    const releaseAt = timing.releaseFrame - timing.startFrame;
    const gain = timing.amplitude / Math.sqrt(count);
    const sustain = patch.sustain;
    const subLevel = patch.sub;
    const centred = count === 1;
    let { env, cutoffEnv, filterCoef, l1, l2, r1, r2, subPhase, vibratoPhase, pitch, frame } = this;
    let i = from;
    while (i < length) {
      // Control rate, every CONTROL_INTERVAL frames of the voice: filter cut-off and vibrato.
      if (frame % CONTROL_INTERVAL === 0) {
        const brightness = 0.35 + 0.65 * this.velocity;
        filterCoef = onePoleCoefficient(this.hz * (patch.cutoff + patch.cutoffEnvelope * cutoffEnv) * brightness, this.sampleRate);
        cutoffEnv *= this.cutoffCoef;
        if (patch.vibratoCents > 0 && frame > this.vibratoDelayFrames) {
          vibratoPhase += this.vibratoIncrement * CONTROL_INTERVAL;
          if (vibratoPhase >= 1) vibratoPhase -= 1;
          const ramp = Math.min(1, (frame - this.vibratoDelayFrames) / this.sampleRate);
          pitch = 1 + this.vibratoDepth * ramp * SINE_TABLE[(vibratoPhase * SINE_TABLE_SIZE) | 0];
        }
      }
      const end = Math.min(length, i + CONTROL_INTERVAL - (frame % CONTROL_INTERVAL));
      for (; i < end; i++, frame++) {
        // Envelope: linear attack, exponential decay to sustain, exponential release.
        if (frame < this.attackFrames) env = frame / this.attackFrames;
        else if (frame < releaseAt) env = sustain + (env - sustain) * this.decayCoef;
        else env *= this.releaseCoef;

        let sumL = 0;
        let sumR = 0;
        for (let k = 0; k < count; k++) {
          let phase = phases[k] + increments[k] * pitch;
          if (phase >= 1) phase -= 1;
          phases[k] = phase;
          const position = phase * WAVETABLE_SIZE;
          const j = position | 0;
          const v = table[j] + (position - j) * (table[j + 1] - table[j]);
          const side = sides[k];
          sumL += v * (1 + side);
          sumR += v * (1 - side);
        }
        if (subLevel > 0) {
          subPhase += this.subIncrement;
          if (subPhase >= 1) subPhase -= 1;
          const sub = subLevel * SINE_TABLE[(subPhase * SINE_TABLE_SIZE) | 0];
          sumL += sub;
          sumR += sub;
        }
        const g = env * gain;
        l1 += filterCoef * (sumL - l1);
        l2 += filterCoef * (l1 - l2);
        left[i] += l2 * g;
        if (centred) {
          right[i] += l2 * g;
        } else {
          r1 += filterCoef * (sumR - r1);
          r2 += filterCoef * (r1 - r2);
          right[i] += r2 * g;
        }
      }
    }
    this.env = env;
    this.cutoffEnv = cutoffEnv;
    this.filterCoef = filterCoef;
    this.l1 = l1;
    this.l2 = l2;
    this.r1 = r1;
    this.r2 = r2;
    this.subPhase = subPhase;
    this.vibratoPhase = vibratoPhase;
    this.pitch = pitch;
    this.frame = frame;
    return !(frame > releaseAt && env < SILENCE);
  }
}
