/**
 * Karplus–Strong plucked string: a delay line one period long, excited with a
 * burst of filtered noise, fed back through a two-point average (the string's
 * frequency-dependent loss) and a loss gain set from the wanted decay time.
 *
 * The loop's length must be fractional to be in tune (a 440 Hz string at 44.1 kHz
 * is 100.23 samples), so the integer delay is topped up by a first-order all-pass
 * whose phase delay supplies the fraction. The pick position is modelled by a
 * comb on the excitation (plucking at 1/β of the string cancels every β-th
 * harmonic), which is what makes a guitar sound different from a harp.
 */
import { Noise, onePoleCoefficient } from '../dsp';
import { Voice, VoiceTiming } from '../voice';

export interface PluckPatch {
  /** excitation low-pass cut-off as a multiple of the fundamental (brighter pick → higher) */
  brightness: number;
  /** T60 (s) of a note at 130 Hz; lower notes ring longer */
  sustainSeconds: number;
  /** fraction of the string length where it is plucked */
  pickPosition: number;
  /** T60 (s) once the note is released (finger damping) */
  releaseSeconds: number;
  /** output low-pass as a multiple of the fundamental; 0 = none (bass guitar tone knob) */
  toneLowpass: number;
}

export const ACOUSTIC_GUITAR: PluckPatch = { brightness: 14, sustainSeconds: 3.2, pickPosition: 0.18, releaseSeconds: 0.12, toneLowpass: 0 };
export const ELECTRIC_GUITAR: PluckPatch = { brightness: 10, sustainSeconds: 4.5, pickPosition: 0.25, releaseSeconds: 0.08, toneLowpass: 0 };
export const HARP: PluckPatch = { brightness: 7, sustainSeconds: 4, pickPosition: 0.5, releaseSeconds: 0.6, toneLowpass: 0 };
export const BASS_GUITAR: PluckPatch = { brightness: 6, sustainSeconds: 3, pickPosition: 0.2, releaseSeconds: 0.07, toneLowpass: 9 };

export class PluckVoice implements Voice {
  private readonly line: Float32Array;
  private readonly length: number;
  private readonly allpass: number;
  private readonly sustainGain: number;
  private readonly releaseGain: number;
  private readonly tone: number;
  private index = 0;
  private previous = 0;
  private apIn = 0;
  private apOut = 0;
  private toneState = 0;
  private frame = 0;
  private quiet = 0;

  constructor(patch: PluckPatch, hz: number, velocity: number, private readonly timing: VoiceTiming, sampleRate: number, seed: number) {
    // Loop delay = integer line + 0.5 (averaging filter) + all-pass fraction.
    const period = sampleRate / hz;
    let integer = Math.floor(period - 0.5);
    let fraction = period - 0.5 - integer;
    if (fraction < 0.1) {
      integer -= 1;
      fraction += 1;
    }
    this.length = Math.max(2, integer);
    this.allpass = (1 - fraction) / (1 + fraction);
    this.line = new Float32Array(this.length);
    const t60 = patch.sustainSeconds * Math.pow(130 / hz, 0.5);
    this.sustainGain = Math.pow(0.001, 1 / (t60 * hz));
    this.releaseGain = Math.pow(0.001, 1 / (patch.releaseSeconds * hz));
    this.tone = patch.toneLowpass > 0 ? onePoleCoefficient(hz * patch.toneLowpass, sampleRate) : 1;

    // Excitation: low-passed noise (softer plucks are darker), then the pick-position comb.
    const noise = new Noise(seed);
    const smooth = onePoleCoefficient(Math.min(sampleRate * 0.45, hz * patch.brightness * (0.4 + 0.6 * velocity)), sampleRate);
    let state = 0;
    let mean = 0;
    for (let i = 0; i < this.length; i++) {
      state += smooth * (noise.next() - state);
      this.line[i] = state;
      mean += state / this.length;
    }
    const comb = Math.max(1, Math.round(patch.pickPosition * this.length));
    let peak = 0;
    for (let i = this.length - 1; i >= 0; i--) {
      this.line[i] = this.line[i] - mean - (i >= comb ? this.line[i - comb] - mean : 0);
      peak = Math.max(peak, Math.abs(this.line[i]));
    }
    const scale = timing.amplitude / (peak || 1);
    for (let i = 0; i < this.length; i++) this.line[i] *= scale;
  }

  render(left: Float32Array, _right: Float32Array, blockStart: number, length: number): boolean {
    const { line, timing } = this;
    let from = timing.startFrame - blockStart;
    if (from >= length) return true;
    if (from < 0) from = 0;
    const size = this.length;
    const releaseAt = timing.releaseFrame - timing.startFrame;
    let { index, previous, apIn, apOut, toneState, frame } = this;
    let energy = 0;
    for (let i = from; i < length; i++, frame++) {
      const current = line[index];
      const gain = frame < releaseAt ? this.sustainGain : this.releaseGain;
      const averaged = 0.5 * (current + previous) * gain;
      previous = current;
      // first-order all-pass: y = a·x + x1 − a·y1
      const y = this.allpass * averaged + apIn - this.allpass * apOut;
      apIn = averaged;
      apOut = y;
      line[index] = y;
      index = index + 1 === size ? 0 : index + 1;
      toneState += this.tone * (current - toneState);
      left[i] += toneState;
      energy += current < 0 ? -current : current;
    }
    this.index = index;
    this.previous = previous;
    this.apIn = apIn;
    this.apOut = apOut;
    this.toneState = toneState;
    this.frame = frame;
    // Finished after a whole block at (practically) zero. Counted without a branch around the
    // count: code V8 optimizes before any note falls quiet would otherwise deoptimize there,
    // at every quiet block of every note.
    let quiet = this.quiet + 1;
    if (energy >= 1e-5 * (length - from)) quiet = 0;
    this.quiet = quiet;
    return quiet < 2;
  }
}
