/**
 * Mastering: normalise to −14 LUFS integrated, limit true peaks to −1 dBTP and
 * write 16-bit PCM. The output is measured as it is written; if the limiter
 * cost more loudness than the tolerance allows, or an inter-sample peak slipped
 * past it, the pass is repeated with corrected settings (rarely more than once).
 */
import { LoudnessMeter, TruePeakMeter, toDb, wavPcm16Header, writePcm16 } from '@texttune/audio';
import { TruePeakLimiter } from './limiter';

export const TARGET_LUFS = -14;
export const MAX_TRUE_PEAK_DBTP = -1;
/** the limiter aims a little under the limit, for margin against 16-bit rounding */
const CEILING_DBTP = -1.3;
const LOUDNESS_TOLERANCE_LU = 0.3;
const MAX_PASSES = 3;
const CHUNK_FRAMES = 16384;

export interface MasterResult {
  wav: Buffer;
  loudnessLufs: number;
  truePeakDbtp: number;
}

/**
 * `afterChunk(fraction)` runs between chunks with the fraction of the mastering
 * work done; it is where the caller yields and checks for cancellation.
 */
export async function master(left: Float32Array, right: Float32Array, sampleRate: number, afterChunk: (fraction: number) => Promise<void> | void): Promise<MasterResult> {
  const frames = left.length;
  const input = new LoudnessMeter(sampleRate, 2);
  for (let start = 0; start < frames; start += CHUNK_FRAMES) {
    input.push([left, right], start, Math.min(frames, start + CHUNK_FRAMES));
    await afterChunk((0.25 * Math.min(frames, start + CHUNK_FRAMES)) / frames);
  }
  const measured = input.integrated();
  let gainDb = Number.isFinite(measured) ? TARGET_LUFS - measured : 0;
  let ceilingDb = CEILING_DBTP;
  const wav = Buffer.alloc(44 + frames * 4);
  wavPcm16Header(frames, 2, sampleRate).copy(wav, 0);
  const blockL = new Float32Array(CHUNK_FRAMES);
  const blockR = new Float32Array(CHUNK_FRAMES);
  let loudnessLufs = -Infinity;
  let truePeakDbtp = -Infinity;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const limiter = new TruePeakLimiter(left, right, { gain: Math.pow(10, gainDb / 20), ceiling: Math.pow(10, ceilingDb / 20), lookaheadSeconds: 0.0015, releaseSeconds: 0.08 }, sampleRate);
    const loudness = new LoudnessMeter(sampleRate, 2);
    const peaks = new TruePeakMeter(2);
    for (let start = 0; start < frames; start += CHUNK_FRAMES) {
      const n = Math.min(CHUNK_FRAMES, frames - start);
      limiter.process(blockL, blockR, n);
      loudness.push([blockL, blockR], 0, n);
      peaks.push([blockL, blockR], 0, n);
      writePcm16([blockL, blockR], wav, 44 + start * 4, 0, n);
      await afterChunk(0.25 + (0.75 * (pass === 0 ? (start + n) / frames : 1)));
    }
    loudnessLufs = loudness.integrated();
    truePeakDbtp = toDb(peaks.peak());
    const loudnessError = Number.isFinite(loudnessLufs) ? TARGET_LUFS - loudnessLufs : 0;
    const peakExcess = truePeakDbtp - MAX_TRUE_PEAK_DBTP;
    if (Math.abs(loudnessError) <= LOUDNESS_TOLERANCE_LU && peakExcess <= 0) break;
    gainDb += loudnessError;
    if (peakExcess > 0) ceilingDb -= peakExcess + 0.2;
  }
  return { wav, loudnessLufs, truePeakDbtp };
}
