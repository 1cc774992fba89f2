import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { formatClock } from '../core/format';
import { PeaksCache } from '../core/peaks-cache';
import { Player, type PlayContext, type QueueTrack } from '../core/player';
import { Icon } from './icon';
import { PeaksBars } from './peaks-bars';
import { SeekSlider, trackPlayback } from './seek-slider';

/**
 * A compact player for lists: play/pause, a small waveform to seek on, elapsed time.
 * It is a view of the global player: "Play" queues the list it is in (`context`,
 * `tracks`) from this track, and it shows the progress while this track is current.
 */
@Component({
  selector: 'tt-inline-player',
  imports: [TranslocoPipe, Icon, PeaksBars, SeekSlider],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button type="button" class="play" (click)="toggle()" [attr.aria-label]="(playback.playing() ? 'player.pause' : 'player.play') | transloco: { title: track().title }" [attr.aria-pressed]="playback.playing()">
      <tt-icon [name]="playback.playing() ? 'pause' : 'play'" />
    </button>
    <div class="wave" ttSeekSlider [time]="playback.time()" [total]="playback.total()" (seekTo)="seek($event)" (togglePlay)="toggle()" [attr.aria-label]="'player.seek' | transloco: { title: track().title }">
      <tt-peaks-bars [peaks]="shownPeaks()" [progress]="playback.fraction()" [count]="bars()" />
    </div>
    @if (track().loop) {
      <span class="badge loop" data-testid="loop-badge" [title]="'player.loopHint' | transloco">{{ 'player.loop' | transloco }}</span>
    }
    <span class="time">{{ playback.playing() || playback.time() > 0 ? clock(playback.time()) : clock(playback.total()) }}</span>
  `,
  styles: `
    :host { display: grid; grid-template-columns: auto 1fr auto auto; align-items: center; gap: 0.75rem; min-width: 0; }
    .play { width: 2.5rem; height: 2.5rem; border-radius: 50%; border: 1px solid var(--border-strong); background: var(--surface); color: var(--accent-strong); display: grid; place-items: center; cursor: pointer; }
    .play:hover, .play[aria-pressed='true'] { background: var(--accent); color: var(--on-accent); border-color: var(--accent); }
    .wave { height: 2.5rem; cursor: pointer; min-width: 0; border-radius: 4px; }
    :host:not(:has(.loop)) { grid-template-columns: auto 1fr auto; }
    .loop { font-size: 0.7rem; }
    .time { font-variant-numeric: tabular-nums; color: var(--muted); font-size: 0.875rem; min-width: 4ch; text-align: right; }
  `,
})
export class InlinePlayer {
  private readonly player = inject(Player);
  private readonly peaksCache = inject(PeaksCache);
  readonly track = input.required<QueueTrack>();
  /** what "Play" puts in the queue: the list this track is shown in, and where it comes from */
  readonly tracks = input.required<readonly QueueTrack[]>();
  readonly context = input.required<PlayContext>();
  /** the waveform, when known already (else fetched from the track's `peaks_url`) */
  readonly peaks = input<readonly number[] | null>(null);
  readonly bars = input(60);
  private readonly fetchedPeaks = signal<readonly number[] | null>(null);
  protected readonly shownPeaks = computed(() => this.peaks() ?? this.fetchedPeaks());
  protected readonly playback = trackPlayback(() => this.track(), this.player);
  protected readonly clock = formatClock;

  constructor() {
    effect(() => {
      const url = this.track().peaks_url;
      if (!url || this.peaks()) return;
      untracked(() => this.peaksCache.load(url).then((peaks) => this.track().peaks_url === url && this.fetchedPeaks.set(peaks)));
    });
  }

  toggle(): void {
    if (this.playback.current()) this.player.toggle();
    else this.player.playContext(this.context(), this.tracks(), this.track().id);
  }

  protected seek(seconds: number): void {
    if (this.playback.current()) this.player.seek(seconds);
    else this.player.playContext(this.context(), this.tracks(), this.track().id, seconds);
  }
}
