import { LoudnessMeter, integratedLoudnessOfSteps, loudnessRangeOfSteps, truePeakDbtp } from '@texttune/audio';
import type { TrackEntity } from './track.entity';
import type { DecodedAudio } from './waveform';

/** The loudness columns of a track row. */
export type LoudnessColumns = Pick<TrackEntity, 'loudnessIntegratedLufs' | 'loudnessTruePeakDbtp' | 'loudnessRangeLu' | 'loudnessMeasuredAt' | 'loudnessError'>;

/** A track whose loudness could not be measured, and why (kept in `loudness_error`). */
export const unmeasuredLoudness = (reason: string, measuredAt = new Date()): LoudnessColumns => ({
  loudnessIntegratedLufs: null,
  loudnessTruePeakDbtp: null,
  loudnessRangeLu: null,
  loudnessMeasuredAt: measuredAt,
  loudnessError: reason.slice(0, 500),
});

/**
 * Integrated loudness (BS.1770-4), true peak and loudness range (EBU Tech 3342) of
 * decoded audio: one K-weighting pass gives the 100 ms step powers both the integrated
 * loudness and the range are gated from. Silence (nothing above the −70 LUFS gate) has
 * no loudness: null values with that reason.
 */
export function measureLoudness(audio: DecodedAudio, measuredAt = new Date()): LoudnessColumns {
  const meter = new LoudnessMeter(audio.sampleRate, audio.channels.length);
  meter.push(audio.channels);
  const steps = meter.stepPowers();
  const integrated = integratedLoudnessOfSteps(steps);
  if (!Number.isFinite(integrated)) return unmeasuredLoudness('silent: no 400 ms block is above the −70 LUFS gate', measuredAt);
  return {
    loudnessIntegratedLufs: integrated,
    loudnessTruePeakDbtp: truePeakDbtp(audio.channels, audio.sampleRate),
    loudnessRangeLu: loudnessRangeOfSteps(steps),
    loudnessMeasuredAt: measuredAt,
    loudnessError: null,
  };
}
