/**
 * Synthesized drums. One parametric voice covers the kit: a pitched body (a sine
 * — or square, for chiptune — whose frequency falls exponentially from `startHz`
 * to `endHz`) plus a noise component through a one-pole high-pass and low-pass,
 * each with its own exponential decay. Kicks are mostly body, hats and cymbals
 * all noise, snares both; claps re-trigger their noise a few times in quick
 * succession, as several hands never clap at once; chiptune noise is held for a
 * few samples at a time, like a sound chip's noise channel.
 */
import { Noise, onePoleCoefficient, SINE_TABLE, SINE_TABLE_SIZE, softClip, t60Coefficient } from '../dsp';
import { Voice, VoiceTiming } from '../voice';

export interface DrumPatch {
  body?: { startHz: number; endHz: number; sweepSeconds: number; decaySeconds: number; level: number; square?: boolean };
  noise?: { level: number; decaySeconds: number; highpassHz: number; lowpassHz: number; bursts?: number; holdHz?: number };
  /** soft-clipping drive (1 = none) */
  drive: number;
}

const BURST_GAP_SECONDS = 0.011;

export class DrumVoice implements Voice {
  private readonly bodyLevel: number;
  private readonly noiseLevel: number;
  private readonly bodyDecay: number;
  private readonly noiseDecay: number;
  private readonly sweepCoef: number;
  private readonly startInc: number;
  private readonly endInc: number;
  /** one-pole low-pass coefficients: the high-pass is the input minus its low-passed self */
  private readonly hp: number;
  private readonly lp: number;
  private readonly holdFrames: number;
  private readonly burstFrames: number;
  private readonly bursts: number;
  private readonly noise: Noise;
  private readonly square: boolean;
  private bodyEnv: number;
  private noiseEnv: number;
  private sweep = 1;
  private phase = 0;
  private hpState = 0;
  private lpState = 0;
  private held = 0;
  private frame = 0;

  constructor(private readonly patch: DrumPatch, private readonly timing: VoiceTiming, sampleRate: number, seed: number) {
    const { body, noise } = patch;
    this.bodyLevel = body ? body.level : 0;
    this.noiseLevel = noise ? noise.level : 0;
    this.bodyEnv = 1;
    this.noiseEnv = 1;
    this.bodyDecay = t60Coefficient(body?.decaySeconds ?? 0.01, sampleRate);
    this.noiseDecay = t60Coefficient(noise?.decaySeconds ?? 0.01, sampleRate);
    this.sweepCoef = Math.exp(-1 / Math.max(1, (body?.sweepSeconds ?? 0.01) * sampleRate));
    this.startInc = (body?.startHz ?? 0) / sampleRate;
    this.endInc = (body?.endHz ?? 0) / sampleRate;
    this.square = body?.square ?? false;
    this.hp = onePoleCoefficient(noise?.highpassHz ?? 20, sampleRate);
    this.lp = onePoleCoefficient(noise?.lowpassHz ?? sampleRate, sampleRate);
    this.holdFrames = noise?.holdHz ? Math.max(1, Math.round(sampleRate / noise.holdHz)) : 1;
    this.bursts = noise?.bursts ?? 1;
    this.burstFrames = Math.round(BURST_GAP_SECONDS * sampleRate);
    this.noise = new Noise(seed);
  }

  render(left: Float32Array, _right: Float32Array, blockStart: number, length: number): boolean {
    let from = this.timing.startFrame - blockStart;
    if (from >= length) return true;
    if (from < 0) from = 0;
    const amplitude = this.timing.amplitude;
    const drive = this.patch.drive;
    const makeup = drive > 1 ? (1 + drive) / drive : 1;
    let { bodyEnv, noiseEnv, sweep, phase, hpState, lpState, held, frame } = this;
    for (let i = from; i < length; i++, frame++) {
      let out = 0;
      if (this.bodyLevel > 0) {
        phase += this.endInc + (this.startInc - this.endInc) * sweep;
        if (phase >= 1) phase -= 1;
        sweep *= this.sweepCoef;
        const wave = this.square ? (phase < 0.5 ? 0.6 : -0.6) : SINE_TABLE[(phase * SINE_TABLE_SIZE) | 0];
        out += this.bodyLevel * bodyEnv * wave;
        bodyEnv *= this.bodyDecay;
      }
      if (this.noiseLevel > 0) {
        if (frame % this.holdFrames === 0) held = this.noise.next();
        hpState += this.hp * (held - hpState);
        lpState += this.lp * (held - hpState - lpState);
        if (this.bursts > 1 && frame < this.bursts * this.burstFrames && frame % this.burstFrames === 0) noiseEnv = 1;
        out += this.noiseLevel * noiseEnv * lpState;
        noiseEnv *= this.noiseDecay;
      }
      if (drive > 1) out = softClip(out * drive) * makeup;
      out *= amplitude;
      left[i] += out;
    }
    this.bodyEnv = bodyEnv;
    this.noiseEnv = noiseEnv;
    this.sweep = sweep;
    this.phase = phase;
    this.hpState = hpState;
    this.lpState = lpState;
    this.held = held;
    this.frame = frame;
    return (this.bodyLevel > 0 && bodyEnv > 1e-4) || (this.noiseLevel > 0 && noiseEnv > 1e-4);
  }
}

/**
 * The 808: a sine bass with a short downward "punch" bend on the attack, an
 * optional slide from the previous note, a long decay and soft saturation that
 * adds the harmonics small speakers need to hear it.
 */
export class Bass808Voice implements Voice {
  private readonly decay: number;
  private readonly release: number;
  private readonly targetInc: number;
  private readonly glideCoef: number;
  private increment: number;
  private punch = 1;
  private readonly punchCoef: number;
  private env = 0;
  private phase = 0;
  private frame = 0;

  constructor(hz: number, glideFromHz: number | undefined, private readonly timing: VoiceTiming, sampleRate: number) {
    this.targetInc = hz / sampleRate;
    this.increment = (glideFromHz ?? hz) / sampleRate;
    this.glideCoef = Math.exp(-1 / (0.04 * sampleRate));
    this.punchCoef = Math.exp(-1 / (0.012 * sampleRate));
    this.decay = t60Coefficient(2.2, sampleRate);
    this.release = t60Coefficient(0.08, sampleRate);
  }

  render(left: Float32Array, _right: Float32Array, blockStart: number, length: number): boolean {
    let from = this.timing.startFrame - blockStart;
    if (from >= length) return true;
    if (from < 0) from = 0;
    const releaseAt = this.timing.releaseFrame - this.timing.startFrame;
    const amplitude = this.timing.amplitude;
    let { env, phase, frame, increment, punch } = this;
    for (let i = from; i < length; i++, frame++) {
      increment = this.targetInc + (increment - this.targetInc) * this.glideCoef;
      phase += increment * (1 + punch);
      punch *= this.punchCoef;
      if (phase >= 1) phase -= 1;
      if (frame < 64) env = frame / 64;
      else env *= frame < releaseAt ? this.decay : this.release;
      const out = softClip(1.8 * SINE_TABLE[(phase * SINE_TABLE_SIZE) | 0] * env) * amplitude;
      left[i] += out;
    }
    this.env = env;
    this.phase = phase;
    this.frame = frame;
    this.increment = increment;
    this.punch = punch;
    return frame < 64 || env > 1e-4;
  }
}
