import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { TranslocoService } from '@jsverse/transloco';
import type { LibraryItem, SharedPlaylistTrack, TrackLoudness } from '@texttune/contracts';
import { AuthStore } from './auth';
import { MediaBoost, PlaybackSettings, playbackGain, splitGain } from './loudness';
import { Notifications } from './notifications';
import { SeamlessLoop } from './seamless-loop';

/** A track as the player needs it: what plays it, what names it, where its page is. */
export interface QueueTrack {
  id: string;
  title: string;
  /** seconds, as the server knows it (the media's own duration wins once loaded) */
  duration: number;
  audio_url: string;
  peaks_url: string | null;
  /** the track's page; null where the listener may not open it (a shared playlist) */
  link: string | null;
  /** the measured loudness the player levels the track by; absent or null: played as it is */
  loudness?: TrackLoudness | null;
  /** a seamless loop: it repeats without a gap under repeat-one, or when it is all there is to play */
  loop?: boolean;
}

export type PlayContextKind = 'library' | 'playlist' | 'track' | 'shared';

/** Where the queue came from: "Play" in a playlist queues the playlist, in the library the library view. */
export interface PlayContext {
  kind: PlayContextKind;
  /** which one of its kind: a playlist id, the library search, a track id, a share token */
  key: string;
  /** what the player shows, e.g. the playlist's title ('' for the library without a search) */
  label: string;
  /** where to go back to it */
  link: string | null;
}

export const REPEAT_MODES = ['off', 'all', 'one'] as const;
export type RepeatMode = (typeof REPEAT_MODES)[number];

export const PLAYER_STORAGE_KEY = 'texttune.player';
/** "Previous" past this many seconds into a track starts it again instead. */
export const RESTART_THRESHOLD_SECONDS = 3;
const SAVE_INTERVAL_MS = 2000;
const QUEUE_MAX = 1000;

/** What survives a reload (localStorage). */
export interface SavedPlayer {
  v: 1;
  /** the account that queued it: another account (or none after signing out) starts empty */
  owner: string | null;
  queue: QueueTrack[];
  /** the context's own order, to come back to when shuffle is turned off */
  original: QueueTrack[];
  index: number;
  position: number;
  context: PlayContext | null;
  volume: number;
  muted: boolean;
  shuffle: boolean;
  repeat: RepeatMode;
}

export const fromLibraryItem = (item: Pick<LibraryItem, 'id' | 'title' | 'duration' | 'audio_url' | 'peaks_url' | 'loudness' | 'loop'>): QueueTrack => ({
  id: item.id,
  title: item.title,
  duration: item.duration,
  audio_url: item.audio_url,
  peaks_url: item.peaks_url,
  link: `/tracks/${item.id}`,
  loudness: item.loudness ?? null,
  ...(item.loop ? { loop: true } : {}),
});

export const fromSharedTrack = (track: SharedPlaylistTrack): QueueTrack => ({
  id: track.id,
  title: track.title,
  duration: track.duration,
  audio_url: track.audio_url,
  peaks_url: track.peaks_url,
  link: null,
  loudness: track.loudness ?? null,
  ...(track.loop ? { loop: true } : {}),
});

/**
 * Whether the current track repeats gaplessly: a loop under repeat-one, or a loop that is
 * the whole queue (its track page, its share page), where the track would otherwise stop
 * at its end. It then sounds through SeamlessLoop (Web Audio), the element repeating by
 * itself (`loop`) as its clock, or audibly where the loop cannot be decoded.
 */
export function loopsSeamlessly(track: QueueTrack | null, repeat: RepeatMode, queueLength: number): boolean {
  return !!track?.loop && (repeat === 'one' || queueLength === 1);
}

/** The name of where the queue comes from: "Library", "Library · “piano”", a playlist's title… */
export function describeContext(context: PlayContext | null, translate: (key: string, params?: Record<string, unknown>) => string): string {
  if (!context) return '';
  if (context.kind === 'library') return context.label ? translate('player.context.librarySearch', { q: context.label }) : translate('player.context.library');
  return context.label || translate(`player.context.${context.kind}`);
}

/** `list` in a random order (Fisher–Yates). */
export function shuffled<T>(list: readonly T[], random: () => number = Math.random): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** `list` with the item at `from` moved to `to`. */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= out.length || to < 0 || to >= out.length || from === to) return out;
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item);
  return out;
}

const uniqueById = (tracks: readonly QueueTrack[]): QueueTrack[] => {
  const seen = new Set<string>();
  return tracks.filter((t) => !seen.has(t.id) && !!seen.add(t.id)).slice(0, QUEUE_MAX);
};

/**
 * The one player of the client: a single `<audio>` element owned by this root service,
 * so that moving between pages never interrupts it. It plays a queue (the context that
 * was played, in order or shuffled), repeats off/all/one, remembers the queue, the place
 * in it and the settings across reloads, and answers the OS media keys (Media Session).
 * Every play button, waveform and the docked player bar are views of it.
 *
 * Loudness normalization (PlaybackSettings, on by default) plays each track at
 * PLAYBACK_TARGET_LUFS with the track's gain (core/loudness.ts): a loud track is turned
 * down through the element's `volume` (the listener's volume times the gain), a quiet
 * one lifted by MediaBoost, a Web Audio GainNode the element is routed through from the
 * first track that needs it (never past 0 dBTP; where the stream is redirected to
 * another origin, or Web Audio is missing, quiet tracks play at unity). Downloads are
 * the stored files, untouched.
 */
@Injectable({ providedIn: 'root' })
export class Player {
  private readonly document = inject(DOCUMENT);
  private readonly auth = inject(AuthStore);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  private readonly playback = inject(PlaybackSettings);

  /** The element everything plays through (also what wavesurfer draws for the current track). */
  readonly media: HTMLAudioElement;
  /** the play order: what played, what plays, what plays next */
  readonly queue = signal<QueueTrack[]>([]);
  readonly index = signal(-1);
  readonly context = signal<PlayContext | null>(null);
  readonly playing = signal(false);
  readonly time = signal(0);
  readonly volume = signal(1);
  readonly muted = signal(false);
  readonly shuffle = signal(false);
  readonly repeat = signal<RepeatMode>('off');
  /** the current track could not be loaded (deleted, link expired, offline) */
  readonly failed = signal(false);
  readonly current = computed<QueueTrack | null>(() => this.queue()[this.index()] ?? null);
  /** the current track's loudness normalization as a factor (above 1: a boost), or 1 when that is off */
  readonly gain = computed(() => this.gainFor(this.current()));
  readonly upNext = computed(() => this.queue().slice(this.index() + 1));
  readonly duration = computed(() => this.mediaDuration() || this.current()?.duration || 0);
  readonly hasNext = computed(() => this.index() < this.queue().length - 1 || (this.repeat() === 'all' && this.queue().length > 0));
  readonly hasPrevious = computed(() => this.index() > 0 || (this.repeat() === 'all' && this.queue().length > 1));

  private readonly mediaDuration = signal(0);
  /** the part of the gain above unity, which `volume` cannot give */
  private readonly boost: MediaBoost;
  /** a seamless loop's gapless repeat (the element then plays muted, as the clock) */
  private readonly seamless: SeamlessLoop;
  /** the context's own order (the queue is this, or this shuffled) */
  private original: QueueTrack[] = [];
  private pendingSeek: number | null = null;
  private lastSave = 0;
  private lastUserId: string | null = null;

  constructor() {
    const audio = this.document.createElement('audio');
    audio.preload = 'metadata';
    audio.hidden = true;
    audio.setAttribute('data-testid', 'player-audio');
    this.document.body.appendChild(audio);
    this.media = audio;
    this.boost = new MediaBoost(audio, this.document.defaultView);
    this.seamless = new SeamlessLoop(audio, this.document.defaultView);
    const on = (type: string, listener: () => void) => audio.addEventListener(type, listener);
    on('play', () => this.onPlayState(true));
    on('pause', () => this.onPlayState(false));
    on('timeupdate', () => this.onTime());
    on('seeked', () => {
      this.time.set(audio.currentTime);
      this.updatePositionState();
    });
    on('loadedmetadata', () => this.onMetadata());
    on('ended', () => this.onEnded());
    on('error', () => this.onError());
    // The element's volume is the listener's volume times the track's gain: only mute is read
    // back, and not while a gapless loop sounds in its place (the element is muted then).
    on('volumechange', () => !this.seamless.active() && this.muted.set(audio.muted));
    this.document.defaultView?.addEventListener('pagehide', this.saveNow);
    inject(DestroyRef).onDestroy(() => {
      this.document.defaultView?.removeEventListener('pagehide', this.saveNow);
      audio.pause();
      audio.remove();
    });

    this.setUpMediaSession();
    this.restore();

    // The queue, the place in it and the settings are saved whenever they change.
    effect(() => {
      this.queue();
      this.index();
      this.context();
      this.volume();
      this.muted();
      this.shuffle();
      this.repeat();
      untracked(() => this.save());
    });

    // The listener's volume, levelled for the current track (and again when the setting changes).
    effect(() => {
      const { attenuation, boost } = splitGain(this.gain());
      const output = this.volume() * attenuation;
      const url = this.current()?.audio_url ?? null;
      const loopLevel = this.muted() ? 0 : this.volume() * this.gain();
      untracked(() => {
        this.media.volume = output;
        this.boost.set(boost, url);
        this.seamless.setLevel(loopLevel);
      });
    });

    effect(() => {
      const track = this.current();
      const seamless = loopsSeamlessly(track, this.repeat(), this.queue().length);
      untracked(() => {
        this.media.loop = seamless;
        this.seamless.use(seamless && track ? track.audio_url : null, track?.duration);
      });
    });

    // While the gapless loop sounds, the element is its silent clock.
    effect(() => {
      const muted = this.muted() || this.seamless.active();
      untracked(() => (this.media.muted = muted));
    });

    // The lock screen and the OS media controls show what plays.
    effect(() => {
      const track = this.current();
      const context = this.context();
      untracked(() => this.updateMetadata(track, context));
    });

    // Another account's queue is not this one's; when the session ends, the music stops.
    effect(() => {
      const user = this.auth.user();
      untracked(() => {
        if (user === null && this.lastUserId) this.pause();
        if (user && this.lastUserId && user.id !== this.lastUserId) this.close();
        if (user) this.lastUserId = user.id;
      });
    });
  }

  /** Whether `id` is the current track (playing or not). */
  isCurrent(id: string): boolean {
    return this.current()?.id === id;
  }

  /**
   * Plays `tracks` as the queue, from `startId` (the first, or with shuffle a random one,
   * when absent) at `position` seconds.
   */
  playContext(context: PlayContext, tracks: readonly QueueTrack[], startId?: string, position = 0): void {
    const list = uniqueById(tracks);
    if (!list.length) return;
    let start = startId ? list.findIndex((t) => t.id === startId) : -1;
    this.original = list;
    this.context.set(context);
    if (this.shuffle()) {
      if (start < 0) start = Math.floor(Math.random() * list.length);
      this.queue.set([list[start], ...shuffled(list.filter((_, i) => i !== start))]);
      this.load(0, true, position);
    } else {
      this.queue.set(list);
      this.load(Math.max(0, start), true, position);
    }
  }

  /** The queue of `context` follows the context's new contents (a playlist reordered or changed), when it is playing. */
  syncContext(context: Pick<PlayContext, 'kind' | 'key'>, tracks: readonly QueueTrack[]): void {
    const playing = this.context();
    const current = this.current();
    if (!playing || playing.kind !== context.kind || playing.key !== context.key || !current) return;
    const list = uniqueById(tracks);
    if (!list.some((t) => t.id === current.id)) return;
    this.original = list;
    if (this.shuffle()) {
      // Keep the shuffled order; drop what left, add what came at the end.
      const ids = new Set(list.map((t) => t.id));
      const kept = this.queue().filter((t) => ids.has(t.id));
      const keptIds = new Set(kept.map((t) => t.id));
      this.setQueue([...kept, ...list.filter((t) => !keptIds.has(t.id))]);
    } else {
      this.setQueue(list);
    }
  }

  toggle(): void {
    if (this.media.paused) this.play();
    else this.pause();
  }

  play(): void {
    if (!this.current()) return;
    if (this.failed()) {
      this.load(this.index(), true);
      return;
    }
    this.boost.resume();
    this.seamless.resume();
    void this.media.play().catch((error: unknown) => {
      // A newer load interrupted this play (AbortError): that load plays.
      if ((error as { name?: string } | null)?.name !== 'AbortError') this.playing.set(false);
    });
  }

  pause(): void {
    this.media.pause();
  }

  next(): void {
    const length = this.queue().length;
    if (!length) return;
    const next = this.index() + 1;
    if (next < length) this.load(next, this.wantsToPlay());
    else if (this.repeat() === 'all') this.load(0, this.wantsToPlay());
  }

  /** The start of this track when it has played a while; else the track before. */
  previous(): void {
    if (!this.current()) return;
    if (this.media.currentTime > RESTART_THRESHOLD_SECONDS) {
      this.seek(0);
      return;
    }
    const previous = this.index() - 1;
    if (previous >= 0) this.load(previous, this.wantsToPlay());
    else if (this.repeat() === 'all' && this.queue().length > 1) this.load(this.queue().length - 1, this.wantsToPlay());
    else this.seek(0);
  }

  seek(seconds: number): void {
    if (!this.current()) return;
    const max = this.duration() || Number.POSITIVE_INFINITY;
    const target = Math.min(Math.max(0, seconds), max);
    if (this.media.readyState === 0) this.pendingSeek = target;
    this.media.currentTime = target;
    this.time.set(target);
  }

  /** Plays the queue's item at `index`. */
  jumpTo(index: number): void {
    if (index >= 0 && index < this.queue().length) this.load(index, true);
  }

  /** Takes the queue's item at `index` out (the current one: the next plays in its place). */
  removeAt(index: number): void {
    const queue = this.queue();
    if (index < 0 || index >= queue.length) return;
    const removed = queue[index];
    this.original = this.original.filter((t) => t.id !== removed.id);
    const rest = queue.filter((_, i) => i !== index);
    if (index === this.index()) {
      if (!rest.length) {
        this.close();
        return;
      }
      const playing = this.wantsToPlay();
      this.queue.set(rest);
      this.load(Math.min(index, rest.length - 1), playing);
      return;
    }
    this.queue.set(rest);
    if (index < this.index()) this.index.update((i) => i - 1);
  }

  /** A track that no longer exists (deleted) leaves the queue. */
  forget(id: string): void {
    const index = this.queue().findIndex((t) => t.id === id);
    if (index >= 0) this.removeAt(index);
    this.original = this.original.filter((t) => t.id !== id);
  }

  /** A track's new title (after a rename), wherever it is in the queue. */
  renamed(id: string, title: string): void {
    const retitle = (list: QueueTrack[]) => (list.some((t) => t.id === id) ? list.map((t) => (t.id === id ? { ...t, title } : t)) : list);
    this.queue.update(retitle);
    this.original = retitle(this.original);
  }

  /** Moves a queue item (drag and drop, or move up/down). */
  move(from: number, to: number): void {
    this.setQueue(moved(this.queue(), from, to));
    if (!this.shuffle()) this.original = this.queue();
  }

  /** Empties "next up": the current track goes on, nothing follows it. */
  clearUpcoming(): void {
    const kept = this.queue().slice(0, this.index() + 1);
    const ids = new Set(kept.map((t) => t.id));
    this.original = this.original.filter((t) => ids.has(t.id));
    this.queue.set(kept);
  }

  /** Stops and forgets the queue (the player bar goes away). */
  close(): void {
    this.media.pause();
    this.media.removeAttribute('src');
    this.media.load();
    this.original = [];
    this.pendingSeek = null;
    this.queue.set([]);
    this.index.set(-1);
    this.context.set(null);
    this.time.set(0);
    this.mediaDuration.set(0);
    this.failed.set(false);
    this.playing.set(false);
  }

  toggleShuffle(): void {
    const current = this.current();
    const on = !this.shuffle();
    this.shuffle.set(on);
    if (!current) return;
    if (on) {
      this.queue.set([current, ...shuffled(this.original.filter((t) => t.id !== current.id))]);
      this.index.set(0);
    } else {
      const original = this.original.some((t) => t.id === current.id) ? this.original : [current, ...this.original];
      this.setQueue(original);
    }
  }

  cycleRepeat(): void {
    this.repeat.update((mode) => REPEAT_MODES[(REPEAT_MODES.indexOf(mode) + 1) % REPEAT_MODES.length]);
  }

  setVolume(value: number): void {
    const volume = Math.min(1, Math.max(0, value));
    this.media.volume = volume * splitGain(this.gain()).attenuation;
    this.volume.set(volume);
    if (volume > 0 && this.media.muted) this.toggleMute();
  }

  toggleMute(): void {
    this.muted.update((muted) => !muted);
    this.media.muted = this.muted() || this.seamless.active();
  }

  /** The queue in a new order, the current track staying current. */
  private setQueue(queue: QueueTrack[]): void {
    const id = this.current()?.id;
    this.queue.set(queue);
    const index = queue.findIndex((t) => t.id === id);
    this.index.set(index);
  }

  private gainFor(track: QueueTrack | null): number {
    return track && this.playback.normalizeLoudness() ? playbackGain(track.loudness) : 1;
  }

  private wantsToPlay(): boolean {
    return !this.media.paused || this.playing();
  }

  private load(index: number, autoplay: boolean, position = 0): void {
    const track = this.queue()[index];
    if (!track) return;
    this.index.set(index);
    this.failed.set(false);
    this.mediaDuration.set(0);
    this.time.set(position);
    this.pendingSeek = position > 0 ? position : null;
    // Levelled before the first sample plays, not when the effect next runs.
    const { attenuation, boost } = splitGain(this.gainFor(track));
    this.media.volume = this.volume() * attenuation;
    this.boost.set(boost, track.audio_url);
    this.media.src = track.audio_url;
    if (autoplay) this.play();
  }

  private onPlayState(playing: boolean): void {
    this.playing.set(playing);
    const session = this.mediaSession();
    if (session) session.playbackState = playing ? 'playing' : 'paused';
    if (!playing) this.save();
  }

  private onTime(): void {
    this.time.set(this.media.currentTime);
    const now = Date.now();
    if (now - this.lastSave > SAVE_INTERVAL_MS) this.save();
  }

  private onMetadata(): void {
    const duration = this.media.duration;
    if (Number.isFinite(duration) && duration > 0) this.mediaDuration.set(duration);
    if (this.pendingSeek !== null) {
      const target = this.pendingSeek;
      this.pendingSeek = null;
      this.media.currentTime = target;
      this.time.set(target);
    }
    this.updatePositionState();
  }

  private onEnded(): void {
    if (this.repeat() === 'one') {
      this.media.currentTime = 0;
      this.play();
    } else if (this.index() < this.queue().length - 1) {
      this.load(this.index() + 1, true);
    } else if (this.repeat() === 'all') {
      this.load(0, true);
    } else {
      this.playing.set(false);
    }
  }

  private onError(): void {
    const track = this.current();
    if (!track || !this.media.getAttribute('src')) return;
    this.failed.set(true);
    this.playing.set(false);
    this.notifications.error(this.transloco.translate('player.failed', { title: track.title }));
  }

  private readonly saveNow = () => this.save();

  private save(): void {
    this.lastSave = Date.now();
    try {
      const storage = globalThis.localStorage;
      if (!storage) return;
      if (!this.queue().length) {
        // nothing to come back to, but the settings stay
        storage.setItem(PLAYER_STORAGE_KEY, JSON.stringify({ ...this.snapshot(), queue: [], original: [], index: -1, position: 0, context: null }));
        return;
      }
      storage.setItem(PLAYER_STORAGE_KEY, JSON.stringify(this.snapshot()));
    } catch {
      // private mode or full: the queue lasts for this page only
    }
  }

  private snapshot(): SavedPlayer {
    return {
      v: 1,
      owner: this.auth.user()?.id ?? this.lastUserId,
      queue: this.queue(),
      original: this.original,
      index: this.index(),
      position: Math.round((this.media.currentTime || this.time()) * 10) / 10,
      context: this.context(),
      volume: this.volume(),
      muted: this.muted(),
      shuffle: this.shuffle(),
      repeat: this.repeat(),
    };
  }

  /** The saved queue, paused at its place, once it is known whose it is. */
  private restore(): void {
    const saved = readSaved();
    if (!saved) return;
    this.media.volume = saved.volume * splitGain(this.gain()).attenuation;
    this.media.muted = saved.muted;
    this.volume.set(saved.volume);
    this.muted.set(saved.muted);
    this.shuffle.set(saved.shuffle);
    this.repeat.set(saved.repeat);
    const track = saved.queue[saved.index];
    if (!track) return;
    const apply = (userId: string | null) => {
      if (saved.owner && saved.owner !== userId) {
        // someone else's queue (or they signed out since): not restored
        if (!this.queue().length) this.save();
        return;
      }
      if (this.queue().length) return; // something else was played meanwhile
      this.original = saved.original.length ? saved.original : saved.queue;
      this.context.set(saved.context);
      this.queue.set(saved.queue);
      this.load(saved.index, false, saved.position);
    };
    if (!saved.owner) apply(null);
    else
      this.auth.ensure().then(
        (user) => apply(user?.id ?? null),
        () => apply(null),
      );
  }

  private mediaSession(): MediaSession | null {
    return (globalThis.navigator as Navigator | undefined)?.mediaSession ?? null;
  }

  private setUpMediaSession(): void {
    const session = this.mediaSession();
    if (!session) return;
    const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
      ['play', () => this.play()],
      ['pause', () => this.pause()],
      ['stop', () => this.pause()],
      ['previoustrack', () => this.previous()],
      ['nexttrack', () => this.next()],
      ['seekto', (details) => details.seekTime !== undefined && this.seek(details.seekTime)],
      ['seekbackward', (details) => this.seek(this.media.currentTime - (details.seekOffset ?? 10))],
      ['seekforward', (details) => this.seek(this.media.currentTime + (details.seekOffset ?? 10))],
    ];
    for (const [action, handler] of handlers) {
      try {
        session.setActionHandler(action, handler);
      } catch {
        // this browser does not know the action
      }
    }
  }

  private updateMetadata(track: QueueTrack | null, context: PlayContext | null): void {
    const session = this.mediaSession();
    if (!session) return;
    if (!track || typeof MediaMetadata === 'undefined') {
      session.metadata = null;
      return;
    }
    session.metadata = new MediaMetadata({
      title: track.title,
      artist: 'TextTune',
      album: describeContext(context, (key, params) => this.transloco.translate(key, params)),
      artwork: [{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' }],
    });
  }

  private updatePositionState(): void {
    const session = this.mediaSession();
    const duration = this.media.duration;
    if (!session?.setPositionState || !Number.isFinite(duration) || duration <= 0) return;
    try {
      session.setPositionState({ duration, position: Math.min(this.media.currentTime, duration), playbackRate: this.media.playbackRate || 1 });
    } catch {
      // an inconsistent state for a moment (e.g. while loading)
    }
  }
}

function readSaved(): SavedPlayer | null {
  try {
    const raw = globalThis.localStorage?.getItem(PLAYER_STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<SavedPlayer>;
    if (value.v !== 1 || !Array.isArray(value.queue)) return null;
    const valid = (t: unknown): t is QueueTrack => !!t && typeof (t as QueueTrack).id === 'string' && typeof (t as QueueTrack).audio_url === 'string';
    return {
      v: 1,
      owner: typeof value.owner === 'string' ? value.owner : null,
      queue: value.queue.filter(valid),
      original: Array.isArray(value.original) ? value.original.filter(valid) : [],
      index: Number.isInteger(value.index) ? value.index! : -1,
      position: Number.isFinite(value.position) ? Math.max(0, value.position!) : 0,
      context: value.context ?? null,
      volume: Number.isFinite(value.volume) ? Math.min(1, Math.max(0, value.volume!)) : 1,
      muted: value.muted === true,
      shuffle: value.shuffle === true,
      repeat: (REPEAT_MODES as readonly unknown[]).includes(value.repeat) ? value.repeat! : 'off',
    };
  } catch {
    return null;
  }
}
