/**
 * Vinyl record noise: a soft band-limited hiss, a slow low rumble and sparse
 * crackles (single-sample clicks smeared by a fast decay, random in time, size
 * and polarity — independently in each channel, as on a real record).
 */
import { Noise, onePoleCoefficient } from '../dsp';
import { Voice, VoiceTiming } from '../voice';

const CRACKLES_PER_SECOND = 7;

export class VinylVoice implements Voice {
  private readonly noise: Noise;
  private readonly hissLp: number;
  private readonly hissHp: number;
  private readonly rumbleLp: number;
  private readonly crackleChance: number;
  private readonly crackleDecay: number;
  private hissA = 0;
  private hissB = 0;
  private rumble = 0;
  private crackleL = 0;
  private crackleR = 0;

  constructor(private readonly timing: VoiceTiming, sampleRate: number, seed: number) {
    this.noise = new Noise(seed);
    this.hissLp = onePoleCoefficient(5000, sampleRate);
    this.hissHp = onePoleCoefficient(900, sampleRate);
    this.rumbleLp = onePoleCoefficient(25, sampleRate);
    this.crackleChance = CRACKLES_PER_SECOND / sampleRate;
    this.crackleDecay = Math.exp(-1 / (0.0006 * sampleRate));
  }

  render(left: Float32Array, right: Float32Array, blockStart: number, length: number): boolean {
    const noise = this.noise;
    const level = this.timing.amplitude;
    let { hissA, hissB, rumble, crackleL, crackleR } = this;
    const end = Math.min(length, this.timing.releaseFrame - blockStart);
    for (let i = Math.max(0, this.timing.startFrame - blockStart); i < end; i++) {
      const white = noise.next();
      hissA += this.hissLp * (white - hissA);
      hissB += this.hissHp * (hissA - hissB);
      rumble += this.rumbleLp * (white - rumble);
      const hiss = (hissA - hissB) * 0.05 + rumble * 0.6;
      const dice = noise.next();
      if (dice > 1 - 2 * this.crackleChance) {
        const size = noise.next();
        if (dice > 1 - this.crackleChance) crackleL += size * size * size * 0.8;
        else crackleR += size * size * size * 0.8;
      }
      crackleL *= this.crackleDecay;
      crackleR *= this.crackleDecay;
      left[i] += (hiss + crackleL) * level;
      right[i] += (hiss + crackleR) * level;
    }
    this.hissA = hissA;
    this.hissB = hissB;
    this.rumble = rumble;
    this.crackleL = crackleL;
    this.crackleR = crackleR;
    return blockStart + length < this.timing.releaseFrame;
  }
}
