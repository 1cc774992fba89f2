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
 * The normalization gain as a linear factor: below 1 turns a loud track down, above 1
 * lifts a quiet one (never past 0 dBTP). 1 for a track whose loudness is not known.
 */
export function playbackGain(loudness: TrackLoudness | null | undefined): number {
  return Math.pow(10, normalizationGainDb(loudness) / 20);
}

/**
 * How the player applies a gain: `<audio>.volume` (at most 1) takes the attenuation,
 * Web Audio (MediaBoost) the boost above unity.
 */
export function splitGain(gain: number): { attenuation: number; boost: number } {
  return { attenuation: Math.min(1, gain), boost: Math.max(1, gain) };
}

/** seconds for a boost change to settle 63 % of the way (a ramp, not a click) */
const BOOST_TIME_CONSTANT = 0.015;

type AudioContextConstructor = new () => AudioContext;

/**
 * The boost above unity for quiet tracks, through Web Audio: the element feeds a
 * MediaElementAudioSourceNode, then a GainNode. The element is routed only once a
 * track needs a boost (routing is for good: the element then sounds only through the
 * AudioContext), and only where that cannot silence it:
 * - the stream must come from this origin without a redirect elsewhere: a
 *   cross-origin stream (a presigned storage URL the API redirects to) plays as
 *   silence through Web Audio without CORS on the bucket. One small ranged GET with
 *   `redirect: 'manual'` tells (an opaque redirect means the bucket), once per page;
 * - the AudioContext is resumed on every play (browsers start it suspended until a
 *   gesture; play buttons are gestures).
 * Where it cannot route (no Web Audio, redirects, the probe failed), quiet tracks play
 * at unity, as loud as they were made. `applied` is the boost in effect.
 */
export class MediaBoost {
  readonly applied = signal(1);
  private graph: { context: AudioContext; gain: GainNode } | null = null;
  /** whether streams play from this origin: null until probed */
  private sameOrigin: boolean | null = null;
  private probe: Promise<boolean> | null = null;
  private wanted = 1;

  constructor(
    private readonly media: HTMLMediaElement,
    private readonly window: (Window & typeof globalThis) | null,
  ) {}

  /** The boost (≥ 1) the current track (playing from `url`) wants. */
  set(boost: number, url: string | null): void {
    this.wanted = boost;
    if (this.graph) {
      this.apply();
      return;
    }
    if (!(boost > 1) || !url || this.sameOrigin === false || !this.contextConstructor()) return;
    void this.streamsFromHere(url).then((ok) => {
      if (ok && this.wanted > 1 && !this.graph) this.route();
    });
  }

  /** Lets a suspended AudioContext run again (call from play, a gesture). */
  resume(): void {
    const context = this.graph?.context;
    if (context && context.state !== 'running') void context.resume().catch(() => undefined);
  }

  private contextConstructor(): AudioContextConstructor | null {
    const w = this.window as { AudioContext?: AudioContextConstructor; webkitAudioContext?: AudioContextConstructor } | null;
    return w?.AudioContext ?? w?.webkitAudioContext ?? null;
  }

  private streamsFromHere(url: string): Promise<boolean> {
    if (this.sameOrigin !== null) return Promise.resolve(this.sameOrigin);
    const w = this.window;
    if (!w || typeof w.fetch !== 'function') return Promise.resolve(false);
    let target: URL;
    try {
      target = new URL(url, w.document.baseURI);
    } catch {
      return Promise.resolve(false);
    }
    if (target.origin !== w.location.origin) {
      this.sameOrigin = false;
      return Promise.resolve(false);
    }
    this.probe ??= w
      .fetch(target.href, { headers: { Range: 'bytes=0-0' }, redirect: 'manual', credentials: 'same-origin' })
      .then((response) => {
        void response.body?.cancel().catch(() => undefined);
        // A failed probe (a deleted track, a network error) says nothing of the storage: asked again next time.
        if (response.type === 'opaqueredirect') this.sameOrigin = false;
        else if (response.ok) this.sameOrigin = true;
        return this.sameOrigin === true;
      })
      .catch(() => false)
      .finally(() => (this.probe = null));
    return this.probe;
  }

  private route(): void {
    const Context = this.contextConstructor();
    if (!Context) return;
    try {
      const context = new Context();
      const source = context.createMediaElementSource(this.media);
      const gain = context.createGain();
      source.connect(gain);
      gain.connect(context.destination);
      this.graph = { context, gain };
      // A context made outside a gesture may start suspended: it resumes with the next play.
      this.media.addEventListener('play', () => this.resume());
      this.resume();
    } catch {
      this.sameOrigin = false;
      return;
    }
    this.apply();
  }

  private apply(): void {
    const graph = this.graph;
    if (!graph) return;
    graph.gain.gain.setTargetAtTime(this.wanted, graph.context.currentTime, BOOST_TIME_CONSTANT);
    this.applied.set(this.wanted);
  }
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
