import { Directive, computed, effect, inject, input, output, type Signal } from '@angular/core';
import { formatClock } from '../core/format';
import { Player, type QueueTrack } from '../core/player';
import { seekTarget } from './peaks';

/**
 * A waveform as a seek slider (the inline, waveform and docked players): the slider's ARIA
 * values from `time` and `total`, a click seeks to that point, the keyboard seeks (arrows,
 * Page Up/Down, Home/End) and Space or Enter play/pause. The host keeps its own
 * `aria-label`.
 */
@Directive({
  selector: '[ttSeekSlider]',
  host: {
    role: 'slider',
    tabindex: '0',
    'aria-valuemin': '0',
    '[attr.aria-valuemax]': 'round(total())',
    '[attr.aria-valuenow]': 'round(time())',
    '[attr.aria-valuetext]': 'clock(time()) + " / " + clock(total())',
    '(click)': 'onClick($event)',
    '(keydown)': 'onKey($event)',
  },
})
export class SeekSlider {
  readonly time = input.required<number>();
  readonly total = input.required<number>();
  /** false while something else (wavesurfer) handles clicks on the waveform */
  readonly seekOnClick = input(true);
  /** the position to go to, in seconds */
  readonly seekTo = output<number>();
  /** Space or Enter */
  readonly togglePlay = output<void>();
  protected readonly clock = formatClock;
  protected readonly round = Math.round;
  /**
   * Where the last key press sent the playhead, until `time` catches up: key presses that
   * come faster than the page re-renders (a held arrow key) add up instead of each
   * starting again from the old position.
   */
  private sentTo: number | null = null;

  constructor() {
    effect(() => {
      this.time();
      this.sentTo = null;
    });
  }

  protected onClick(event: MouseEvent): void {
    if (!this.seekOnClick()) return;
    const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const total = this.total();
    if (box.width > 0 && total > 0) this.seekTo.emit(((event.clientX - box.left) / box.width) * total);
  }

  protected onKey(event: KeyboardEvent): void {
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      this.togglePlay.emit();
      return;
    }
    const target = seekTarget(event.key, this.sentTo ?? this.time(), this.total());
    if (target !== null) {
      event.preventDefault();
      this.sentTo = target;
      this.seekTo.emit(target);
    }
  }
}

/** How far one track is in the global player: all zero (and its own duration) when it is not current. */
export interface TrackPlayback {
  current: Signal<boolean>;
  playing: Signal<boolean>;
  time: Signal<number>;
  total: Signal<number>;
  fraction: Signal<number>;
}

/** `TrackPlayback` of `track`; call in an injection context. */
export function trackPlayback(track: () => QueueTrack, player = inject(Player)): TrackPlayback {
  const current = computed(() => player.current()?.id === track().id);
  const time = computed(() => (current() ? player.time() : 0));
  const total = computed(() => (current() ? player.duration() : track().duration));
  return {
    current,
    playing: computed(() => current() && player.playing()),
    time,
    total,
    fraction: computed(() => (total() > 0 ? Math.min(1, time() / total()) : 0)),
  };
}
