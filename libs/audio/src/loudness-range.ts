/**
 * Loudness range (LRA) per EBU Tech 3342: the spread, in LU, of the short-term loudness
 * of a programme. Short-term loudness is the BS.1770 loudness of a 3 s window, taken
 * every 100 ms; windows are gated absolutely at −70 LUFS, then relatively at 20 LU
 * below the power mean of the windows that passed; the range is the distance between
 * the 10th and the 95th percentile of what remains.
 *
 * It works on the 100 ms K-weighted step powers that {@link LoudnessMeter} keeps, so
 * one pass of K-weighting gives both the integrated loudness and the range.
 */
import { LoudnessMeter } from './loudness';

/** 100 ms steps per 3 s short-term window. */
const SHORT_TERM_STEPS = 30;
const ABSOLUTE_GATE_LUFS = -70;
const RELATIVE_GATE_LU = -20;
const LOW_PERCENTILE = 0.1;
const HIGH_PERCENTILE = 0.95;

const powerToLufs = (power: number): number => (power > 0 ? -0.691 + 10 * Math.log10(power) : -Infinity);

/**
 * Loudness range in LU from the K-weighted powers (summed over channels) of consecutive
 * 100 ms steps. 0 when fewer than two short-term windows pass the gates (e.g. under 3 s
 * of audio, or silence).
 */
export function loudnessRangeOfSteps(steps: ArrayLike<number>): number {
  const powers: number[] = [];
  for (let end = SHORT_TERM_STEPS; end <= steps.length; end++) {
    let sum = 0;
    for (let i = end - SHORT_TERM_STEPS; i < end; i++) sum += steps[i];
    const power = sum / SHORT_TERM_STEPS;
    if (powerToLufs(power) > ABSOLUTE_GATE_LUFS) powers.push(power);
  }
  if (powers.length < 2) return 0;
  let total = 0;
  for (const p of powers) total += p;
  const relativeGate = powerToLufs(total / powers.length) + RELATIVE_GATE_LU;
  const gated = powers
    .map(powerToLufs)
    .filter((lufs) => lufs > relativeGate)
    .sort((a, b) => a - b);
  if (gated.length < 2) return 0;
  // Tech 3342's reference: the value at rank round((n − 1)·p) of the sorted list.
  const at = (p: number) => gated[Math.round((gated.length - 1) * p)];
  return at(HIGH_PERCENTILE) - at(LOW_PERCENTILE);
}

/** Loudness range (LU) of planar audio in one call. */
export function loudnessRange(channels: readonly Float32Array[], sampleRate: number): number {
  const meter = new LoudnessMeter(sampleRate, channels.length);
  meter.push(channels);
  return loudnessRangeOfSteps(meter.stepPowers());
}
