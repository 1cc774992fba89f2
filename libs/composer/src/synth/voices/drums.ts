/**
 * Synthesized drums. One parametric sound covers the kit: a pitched body (a sine
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

/**
 * One drum hit at full amplitude, from its first frame until every envelope has
 * decayed by 80 dB: what a drum track replays, scaled by each note's velocity
 * (velocity only scales a hit; the drive comes before it). The body, the noise
 * and the drive are separate passes over the buffer, each a plain loop.
 */
export function renderDrumHit(patch: DrumPatch, sampleRate: number, seed: number): Float32Array {
  const { body, noise } = patch;
  // T60 · 4/3 reaches −80 dB; claps restart their noise up to (bursts − 1) gaps later.
  const burstFrames = Math.round(BURST_GAP_SECONDS * sampleRate);
  const bursts = noise?.bursts ?? 1;
  const bodyFrames = body ? Math.ceil((body.decaySeconds * sampleRate * 4) / 3) : 0;
  const noiseFrames = noise ? (bursts - 1) * burstFrames + Math.ceil((noise.decaySeconds * sampleRate * 4) / 3) : 0;
  const out = new Float32Array(Math.max(1, bodyFrames, noiseFrames));
  if (body) {
    const startInc = body.startHz / sampleRate;
    const endInc = body.endHz / sampleRate;
    const sweepCoef = Math.exp(-1 / Math.max(1, body.sweepSeconds * sampleRate));
    const decay = t60Coefficient(body.decaySeconds, sampleRate);
    if (body.square) addSquareBody(out, bodyFrames, body.level, startInc, endInc, sweepCoef, decay);
    else addSineBody(out, bodyFrames, body.level, startInc, endInc, sweepCoef, decay);
  }
  if (noise) {
    const holdFrames = noise.holdHz ? Math.max(1, Math.round(sampleRate / noise.holdHz)) : 1;
    addNoise(
      out,
      noiseFrames,
      noise.level,
      t60Coefficient(noise.decaySeconds, sampleRate),
      onePoleCoefficient(noise.highpassHz, sampleRate),
      onePoleCoefficient(noise.lowpassHz, sampleRate),
      holdFrames,
      bursts > 1 ? bursts * burstFrames : 0,
      burstFrames,
      new Noise(seed),
    );
  }
  if (patch.drive > 1) drive(out, patch.drive);
  // Trailing frames under −100 dB add nothing but work.
  let end = out.length;
  while (end > 1 && Math.abs(out[end - 1]) < 1e-5) end--;
  return out.subarray(0, end);
}

/** A sine whose frequency falls exponentially from start to end, decaying. */
function addSineBody(out: Float32Array, frames: number, level: number, startInc: number, endInc: number, sweepCoef: number, decay: number): void {
  let phase = 0;
  let sweep = 1;
  let env = level;
  const range = startInc - endInc;
  for (let i = 0; i < frames; i++) {
    phase += endInc + range * sweep;
    if (phase >= 1) phase -= 1;
    sweep *= sweepCoef;
    out[i] += env * SINE_TABLE[(phase * SINE_TABLE_SIZE) | 0];
    env *= decay;
  }
}

/** The chiptune body: the same sweep on a square wave. */
function addSquareBody(out: Float32Array, frames: number, level: number, startInc: number, endInc: number, sweepCoef: number, decay: number): void {
  let phase = 0;
  let sweep = 1;
  let env = level;
  const range = startInc - endInc;
  for (let i = 0; i < frames; i++) {
    phase += endInc + range * sweep;
    if (phase >= 1) phase -= 1;
    sweep *= sweepCoef;
    out[i] += env * (phase < 0.5 ? 0.6 : -0.6);
    env *= decay;
  }
}

/**
 * White noise (held for `holdFrames` at a time) through a one-pole high-pass and
 * low-pass, decaying; restarted every `burstFrames` while frame < `burstsEnd`.
 */
function addNoise(
  out: Float32Array,
  frames: number,
  level: number,
  decay: number,
  hp: number,
  lp: number,
  holdFrames: number,
  burstsEnd: number,
  burstFrames: number,
  noise: Noise,
): void {
  let env = 1;
  let held = 0;
  let hpState = 0;
  let lpState = 0;
  for (let i = 0; i < frames; i++) {
    if (i % holdFrames === 0) held = noise.next();
    hpState += hp * (held - hpState);
    lpState += lp * (held - hpState - lpState);
    if (i < burstsEnd && i % burstFrames === 0) env = 1;
    out[i] += level * env * lpState;
    env *= decay;
  }
}

function drive(out: Float32Array, amount: number): void {
  const makeup = (1 + amount) / amount;
  for (let i = 0; i < out.length; i++) out[i] = softClip(out[i] * amount) * makeup;
}

/** Plays a rendered sample (a drum hit) from its start frame, scaled by the note's amplitude. */
export class SampleVoice implements Voice {
  constructor(private readonly sample: Float32Array, private readonly timing: VoiceTiming) {}

  render(left: Float32Array, _right: Float32Array, blockStart: number, length: number): boolean {
    const { sample, timing } = this;
    const offset = blockStart - timing.startFrame;
    const from = offset < 0 ? -offset : 0;
    const to = Math.min(length, sample.length - offset);
    const amplitude = timing.amplitude;
    for (let i = from; i < to; i++) left[i] += sample[i + offset] * amplitude;
    return offset + length < sample.length;
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
