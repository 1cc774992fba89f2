/**
 * Seamless loops. A loop is synthesised once from silence with room after its
 * end for everything that still rings there (note releases, reverb, echoes);
 * that tail is then added onto the start, which is exactly what the start
 * sounds like when the loop follows itself. Mastering then sees the loop as a
 * cycle: it is run over the loop with its own end before it and its own start
 * after it, so the limiter's gain at the first frame is the gain the last frames
 * left it with, and only the loop itself is kept.
 */
import { wavPcm16Header } from '@texttune/audio';
import { GenreStyle } from './compose/styles';
import { MusicPlan } from './plan';

/** how long the end of the loop is rendered past its last frame: the reverb's decay to −60 dB, plus releases and echoes */
export function loopTailSeconds(plan: MusicPlan, style: GenreStyle): number {
  const reverb = style.reverb.seconds * (plan.moods.includes('dreamy') ? 1.4 : 1);
  return reverb + 1.5;
}

/**
 * Adds frames [frames, length) of each channel onto the start, wrapping as
 * often as the tail is longer than the loop, and returns the loop's frames.
 */
export function wrapTail(channel: Float32Array, frames: number): Float32Array {
  for (let i = frames; i < channel.length; i++) channel[i % frames] += channel[i];
  return channel.subarray(0, frames);
}

/** the limiter's release settles well within this (its time constant is 80 ms) */
const PREROLL_SECONDS = 0.5;
/** more than the limiter's look-ahead (1.5 ms) */
const POSTROLL_SECONDS = 0.01;

export interface MasterLike {
  wav: Buffer;
  loudnessLufs: number;
  truePeakDbtp: number;
}

/**
 * Masters the loop as a cycle: `masterFn` runs over [end of the loop, loop,
 * start of the loop] and the loop's own frames are cut out of its WAV.
 */
export async function masterCyclically<T extends MasterLike>(
  left: Float32Array,
  right: Float32Array,
  sampleRate: number,
  masterFn: (left: Float32Array, right: Float32Array) => Promise<T>,
): Promise<T> {
  const frames = left.length;
  const pre = Math.min(frames, Math.round(PREROLL_SECONDS * sampleRate));
  const post = Math.min(frames, Math.round(POSTROLL_SECONDS * sampleRate));
  const extend = (channel: Float32Array) => {
    const out = new Float32Array(pre + frames + post);
    out.set(channel.subarray(frames - pre), 0);
    out.set(channel, pre);
    out.set(channel.subarray(0, post), pre + frames);
    return out;
  };
  const result = await masterFn(extend(left), extend(right));
  const wav = Buffer.allocUnsafe(44 + frames * 4);
  wavPcm16Header(frames, 2, sampleRate).copy(wav, 0);
  result.wav.copy(wav, 44, 44 + pre * 4, 44 + (pre + frames) * 4);
  return { ...result, wav };
}
