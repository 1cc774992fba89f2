/**
 * Vinyl record noise: a soft band-limited hiss, a slow low rumble and sparse
 * crackles (single-sample clicks smeared by a fast decay, random in time, size
 * and polarity — independently in each channel, as on a real record).
 *
 * The noise is synthesised once, for three turns of a 33⅓ rpm record (5.4 s),
 * and played in a loop whose seam is an equal-power cross-fade; like the record
 * itself, its clicks come round again with every few turns.
 */
import { Noise, onePoleCoefficient } from '../dsp';
import { Voice, VoiceTiming } from '../voice';

const CRACKLES_PER_SECOND = 7;
const LOOP_SECONDS = 5.4;
const CROSSFADE_SECONDS = 0.25;

export class VinylVoice implements Voice {
  private readonly loopL: Float32Array;
  private readonly loopR: Float32Array;
  private position = 0;

  constructor(private readonly timing: VoiceTiming, sampleRate: number, seed: number) {
    const total = Math.max(1, timing.releaseFrame - timing.startFrame);
    const crossfade = Math.round(CROSSFADE_SECONDS * sampleRate);
    const loop = Math.round(LOOP_SECONDS * sampleRate);
    // A piece shorter than the loop plays the noise straight through.
    const length = total <= loop + crossfade ? total : loop;
    const raw = length === total ? length : loop + crossfade;
    this.loopL = new Float32Array(raw);
    this.loopR = new Float32Array(raw);
    synthesizeVinyl(this.loopL, this.loopR, sampleRate, seed, timing.amplitude);
    if (length < raw) {
      // The loop's last frame runs on into raw[loop]: so its first frames are raw[loop…]
      // cross-faded into raw[0…].
      for (let i = 0; i < crossfade; i++) {
        const x = (i + 0.5) / crossfade;
        const fadeIn = Math.sin((x * Math.PI) / 2);
        const fadeOut = Math.cos((x * Math.PI) / 2);
        this.loopL[i] = this.loopL[i] * fadeIn + this.loopL[loop + i] * fadeOut;
        this.loopR[i] = this.loopR[i] * fadeIn + this.loopR[loop + i] * fadeOut;
      }
      this.loopL = this.loopL.subarray(0, loop);
      this.loopR = this.loopR.subarray(0, loop);
    }
  }

  render(left: Float32Array, right: Float32Array, blockStart: number, length: number): boolean {
    const { loopL, loopR } = this;
    const size = loopL.length;
    const end = Math.min(length, this.timing.releaseFrame - blockStart);
    let position = this.position;
    let i = Math.max(0, this.timing.startFrame - blockStart);
    while (i < end) {
      const run = Math.min(end - i, size - position);
      for (let k = 0; k < run; k++) {
        left[i + k] += loopL[position + k];
        right[i + k] += loopR[position + k];
      }
      i += run;
      position += run;
      if (position === size) position = 0;
    }
    this.position = position;
    return blockStart + length < this.timing.releaseFrame;
  }
}

function synthesizeVinyl(left: Float32Array, right: Float32Array, sampleRate: number, seed: number, level: number): void {
  const noise = new Noise(seed);
  const hissLp = onePoleCoefficient(5000, sampleRate);
  const hissHp = onePoleCoefficient(900, sampleRate);
  const rumbleLp = onePoleCoefficient(25, sampleRate);
  const crackleChance = CRACKLES_PER_SECOND / sampleRate;
  const crackleDecay = Math.exp(-1 / (0.0006 * sampleRate));
  let hissA = 0;
  let hissB = 0;
  let rumble = 0;
  let crackleL = 0;
  let crackleR = 0;
  for (let i = 0; i < left.length; i++) {
    const white = noise.next();
    hissA += hissLp * (white - hissA);
    hissB += hissHp * (hissA - hissB);
    rumble += rumbleLp * (white - rumble);
    const hiss = (hissA - hissB) * 0.05 + rumble * 0.6;
    const dice = noise.next();
    if (dice > 1 - 2 * crackleChance) {
      const size = noise.next();
      if (dice > 1 - crackleChance) crackleL += size * size * size * 0.8;
      else crackleR += size * size * size * 0.8;
    }
    crackleL *= crackleDecay;
    crackleR *= crackleDecay;
    left[i] = (hiss + crackleL) * level;
    right[i] = (hiss + crackleR) * level;
  }
}
