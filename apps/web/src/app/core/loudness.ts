import { Injectable, signal } from '@angular/core';
import type { TrackLoudness } from '@texttune/contracts';

/** The level every track is played at (LUFS): what the common streaming services use. */
export const PLAYBACK_TARGET_LUFS = -14;

/**
 * The gain (dB) that brings a track to {@link PLAYBACK_TARGET_LUFS}, capped so that its
 * true peak does not pass 0 dBTP: −14 − integrated, at most −true_peak. 0 (unity) for a
 * track whose loudness is not known.
 */
export function normalizationGainDb(loudness: TrackLoudness | null | undefined): number {
  if (!loudness || !Number.isFinite(loudness.integrated_lufs) || !Number.isFinite(loudness.true_peak_dbtp)) return 0;
  return Math.min(PLAYBACK_TARGET_LUFS - loudness.integrated_lufs, -loudness.true_peak_dbtp);
}

/**
 * The factor the player multiplies its volume by for a track: the normalization gain
 * as a linear factor, never above 1. The player plays through `<audio>.volume`, which
 * can only attenuate: a track quieter than the target plays at unity, as loud as it
 * was made (a boost would need Web Audio, see Player).
 */
export function playbackGain(loudness: TrackLoudness | null | undefined): number {
  return Math.min(1, Math.pow(10, normalizationGainDb(loudness) / 20));
}

export const PLAYBACK_SETTINGS_KEY = 'texttune.playback';

/** The listener's playback settings, kept in this browser (localStorage). */
@Injectable({ providedIn: 'root' })
export class PlaybackSettings {
  /** play every track at the same perceived level (on unless turned off) */
  readonly normalizeLoudness = signal(readNormalize());

  setNormalizeLoudness(on: boolean): void {
    this.normalizeLoudness.set(on);
    try {
      globalThis.localStorage?.setItem(PLAYBACK_SETTINGS_KEY, JSON.stringify({ v: 1, normalizeLoudness: on }));
    } catch {
      // private mode or full: the setting lasts for this page only
    }
  }
}

function readNormalize(): boolean {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(PLAYBACK_SETTINGS_KEY) ?? 'null') as { normalizeLoudness?: unknown } | null;
    return saved?.normalizeLoudness !== false;
  } catch {
    return true;
  }
}
