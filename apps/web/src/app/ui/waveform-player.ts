import { ChangeDetectionStrategy, Component, ElementRef, effect, inject, input, signal, viewChild } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { formatClock } from '../core/format';
import { Player, type PlayContext, type QueueTrack } from '../core/player';
import { Icon } from './icon';
import { PeaksBars } from './peaks-bars';
import { SeekSlider, trackPlayback } from './seek-slider';

interface Surfer {
  destroy(): void;
  on(event: 'click', listener: (relativeX: number) => void): () => void;
}

/**
 * The track player: the track's waveform drawn from the server's peaks with wavesurfer.js
 * (loaded on demand), as a view of the global player. While the track is current the
 * waveform is bound to the global `<audio>` element (progress, click and drag to seek);
 * otherwise "Play" (or a click on the waveform) queues `context` from this track.
 * Keyboard: the waveform is a slider (arrows, Page Up/Down, Home/End seek; Space
 * plays/pauses); the play button is a button.
 */
@Component({
  selector: 'tt-waveform-player',
  imports: [TranslocoPipe, Icon, PeaksBars, SeekSlider],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="player" [class.current]="playback.current()">
      <button type="button" class="play" (click)="toggle()" [attr.aria-label]="(playback.playing() ? 'player.pause' : 'player.play') | transloco: { title: track().title }">
        <tt-icon [name]="playback.playing() ? 'pause' : 'play'" />
      </button>
      <div class="wave" ttSeekSlider [time]="playback.time()" [total]="playback.total()" [seekOnClick]="!surferReady()" (seekTo)="seek($event)" (togglePlay)="toggle()" [attr.aria-label]="'player.seek' | transloco: { title: track().title }">
        <div #waveHost class="wave-host" [class.ready]="surferReady()"></div>
        @if (!surferReady()) {
          <tt-peaks-bars [peaks]="peaks()" [progress]="playback.fraction()" [count]="120" />
        }
      </div>
      @if (track().loop) {
        <span class="badge loop" data-testid="loop-badge" [title]="'player.loopHint' | transloco">{{ 'player.loop' | transloco }}</span>
      }
      <span class="time">{{ clock(playback.time()) }} <span aria-hidden="true">/</span> {{ clock(playback.total()) }}</span>
    </div>
  `,
  styleUrl: './waveform-player.css',
})
export class WaveformPlayer {
  private readonly player = inject(Player);
  readonly track = input.required<QueueTrack>();
  /** what "Play" puts in the queue, and where it comes from */
  readonly tracks = input.required<readonly QueueTrack[]>();
  readonly context = input.required<PlayContext>();
  readonly peaks = input<readonly number[] | null>(null);

  private readonly waveHost = viewChild.required<ElementRef<HTMLDivElement>>('waveHost');
  protected readonly surferReady = signal(false);
  protected readonly playback = trackPlayback(() => this.track(), this.player);
  protected readonly clock = formatClock;

  constructor() {
    effect((onCleanup) => {
      const host = this.waveHost().nativeElement;
      const peaks = this.peaks();
      // another track means another waveform
      const { duration } = this.track();
      const bound = this.playback.current();
      if (!peaks?.length || !duration || typeof window === 'undefined' || !('ResizeObserver' in window)) return;
      let surfer: Surfer | undefined;
      let cancelled = false;
      import('wavesurfer.js')
        .then(({ default: WaveSurfer }) => {
          if (cancelled) return;
          const style = getComputedStyle(host);
          const created = WaveSurfer.create({
            container: host,
            // The current track's waveform follows (and seeks) the global player's element;
            // any other track's is a picture to click on.
            ...(bound ? { media: this.player.media } : {}),
            peaks: [Float32Array.from(peaks)],
            duration,
            height: 72,
            normalize: true,
            barWidth: 2,
            barGap: 1,
            barRadius: 2,
            cursorWidth: bound ? 2 : 0,
            waveColor: style.getPropertyValue('--wave').trim() || '#b9b4d6',
            progressColor: style.getPropertyValue('--accent').trim() || '#5b3fd9',
            cursorColor: style.getPropertyValue('--text').trim() || '#1c1a29',
            dragToSeek: bound,
          });
          if (!bound) created.on('click', (relativeX: number) => this.start(relativeX * duration));
          surfer = created;
          this.surferReady.set(true);
        })
        .catch(() => this.surferReady.set(false));
      onCleanup(() => {
        cancelled = true;
        surfer?.destroy();
        this.surferReady.set(false);
      });
    });
  }

  toggle(): void {
    if (this.playback.current()) this.player.toggle();
    else this.start(0);
  }

  seek(seconds: number): void {
    if (this.playback.current()) this.player.seek(seconds);
    else this.start(seconds);
  }

  private start(position: number): void {
    this.player.playContext(this.context(), this.tracks(), this.track().id, position);
  }
}
