import { signal } from '@angular/core';

/**
 * Longest loop decoded for gapless repeat: a decoded second of stereo costs about 350 kB
 * (32-bit floats at 44.1 kHz), so two minutes stay near 42 MB; longer loops repeat
 * through `<audio loop>`, where a gap once every few minutes matters little.
 */
export const MAX_DECODED_LOOP_SECONDS = 120;
/** How far (s) the element may drift from the sound before it is moved back in step with it. */
const DRIFT_TOLERANCE_SECONDS = 0.2;

type AudioContextConstructor = new () => AudioContext;

/**
 * Gapless repeat of a seamless loop. `<audio loop>` leaves 28–40 ms of silence at each
 * restart in Chromium, an AudioBufferSourceNode with `loop = true` none (bench/loop-gap).
 * So while a loop repeats, its audio is fetched and decoded once and sounds through Web
 * Audio: a looping AudioBufferSourceNode into a GainNode (the listener's volume times the
 * track's normalization gain, 0 when muted). The `<audio>` element keeps playing, muted,
 * as the clock every view follows (progress, waveform, media session): its play, pause
 * and seeks start, stop and move the sound, and the element is moved back in step when
 * its own gaps make it lag. `active` is true while the decoded loop is what sounds.
 *
 * Where the audio cannot be decoded — no Web Audio, a stream redirected to another
 * origin without CORS (fetch refuses it), a failed request, a loop longer than
 * {@link MAX_DECODED_LOOP_SECONDS} — `active` stays false and the element repeats by
 * itself with `loop`, audibly but with its small gap.
 */
export class SeamlessLoop {
  readonly active = signal(false);
  private graph: { context: AudioContext; gain: GainNode } | null = null;
  private decoded: { url: string; buffer: Promise<AudioBuffer | null> } | null = null;
  private buffer: AudioBuffer | null = null;
  private wanted: string | null = null;
  private source: AudioBufferSourceNode | null = null;
  /** context time and buffer offset at which the playing source started */
  private anchor = { at: 0, offset: 0 };
  private level = 1;

  constructor(
    private readonly media: HTMLMediaElement,
    private readonly window: (Window & typeof globalThis) | null,
  ) {
    media.addEventListener('playing', () => this.onPlaying());
    media.addEventListener('pause', () => this.stopSource());
    media.addEventListener('emptied', () => this.stopSource());
    media.addEventListener('seeked', () => this.onSeeked());
    media.addEventListener('timeupdate', () => this.keepInStep());
  }

  /**
   * The loop to repeat gaplessly (its audio URL and length in seconds), or null when the
   * current track does not loop: the element then sounds by itself.
   */
  use(url: string | null, seconds = 0): void {
    if (url === this.wanted) return;
    this.wanted = url;
    this.stopSource();
    this.buffer = null;
    this.active.set(false);
    if (!url || !(seconds > 0) || seconds > MAX_DECODED_LOOP_SECONDS) return;
    const graph = this.ensureGraph();
    if (!graph) return;
    if (this.decoded?.url !== url) this.decoded = { url, buffer: this.decode(graph.context, url) };
    void this.decoded.buffer.then((buffer) => {
      if (!buffer || this.wanted !== url) return;
      this.buffer = buffer;
      this.active.set(true);
      this.start();
    });
  }

  /** The output level: the listener's volume times the track's gain (0 when muted). */
  setLevel(level: number): void {
    this.level = level;
    const graph = this.graph;
    if (graph) graph.gain.gain.setTargetAtTime(level, graph.context.currentTime, 0.015);
  }

  /** Lets a suspended AudioContext run (call from play, a gesture). */
  resume(): void {
    const context = this.graph?.context;
    if (context && context.state !== 'running') void context.resume().catch(() => undefined);
  }

  /** Where in the loop the sound is (seconds), or null when it is not sounding. */
  position(): number | null {
    const graph = this.graph;
    if (!this.source || !this.buffer || !graph) return null;
    return (graph.context.currentTime - this.anchor.at + this.anchor.offset) % this.buffer.duration;
  }

  private ensureGraph(): { context: AudioContext; gain: GainNode } | null {
    if (this.graph) return this.graph;
    const w = this.window as { AudioContext?: AudioContextConstructor; webkitAudioContext?: AudioContextConstructor } | null;
    const Context = w?.AudioContext ?? w?.webkitAudioContext;
    if (!Context) return null;
    try {
      const context = new Context();
      const gain = context.createGain();
      gain.gain.value = this.level;
      gain.connect(context.destination);
      this.graph = { context, gain };
    } catch {
      return null;
    }
    return this.graph;
  }

  private decode(context: AudioContext, url: string): Promise<AudioBuffer | null> {
    const fetch = this.window?.fetch?.bind(this.window);
    if (!fetch) return Promise.resolve(null);
    return fetch(url, { credentials: 'same-origin' })
      .then((response) => (response.ok ? response.arrayBuffer() : null))
      .then((bytes) => (bytes ? context.decodeAudioData(bytes) : null))
      .catch(() => null)
      .then((buffer) => {
        // A failure is asked again the next time this loop is chosen.
        if (!buffer && this.decoded?.url === url) this.decoded = null;
        return buffer;
      });
  }

  /** Starts the sound where the element is, when the element plays and the loop is decoded. */
  private start(): void {
    const graph = this.graph;
    const buffer = this.buffer;
    if (!graph || !buffer || this.media.paused) return;
    this.stopSource();
    this.resume();
    const offset = (this.media.currentTime || 0) % buffer.duration;
    const source = graph.context.createBufferSource();
    source.buffer = buffer;
    source.loop = true;
    source.connect(graph.gain);
    source.start(0, offset);
    this.anchor = { at: graph.context.currentTime, offset };
    this.source = source;
  }

  private stopSource(): void {
    const source = this.source;
    this.source = null;
    if (!source) return;
    try {
      source.stop();
    } catch {
      // not started yet
    }
    source.disconnect();
  }

  /** The element's distance from the sound, across the loop's seam (seconds). */
  private drift(): number | null {
    const at = this.position();
    if (at === null || !this.buffer) return null;
    const length = this.buffer.duration;
    const d = Math.abs(this.media.currentTime - at) % length;
    return Math.min(d, length - d);
  }

  /** The element plays (again): the sound starts where it is, unless it goes on in step already (after a stall). */
  private onPlaying(): void {
    const drift = this.drift();
    if (drift === null || drift > DRIFT_TOLERANCE_SECONDS) this.start();
  }

  /**
   * A seek far from where the sound is (the listener's) moves the sound; a near one is the
   * element wrapping around by itself or being put back in step, which the sound ignores.
   */
  private onSeeked(): void {
    if (this.media.paused || !this.buffer) return;
    const drift = this.drift();
    if (drift === null || drift > DRIFT_TOLERANCE_SECONDS) this.start();
  }

  /** The element lags a little at each of its own restarts: moved to where the sound is. */
  private keepInStep(): void {
    const drift = this.drift();
    const at = this.position();
    if (drift !== null && at !== null && drift > DRIFT_TOLERANCE_SECONDS && !this.media.seeking) this.media.currentTime = at;
  }
}
