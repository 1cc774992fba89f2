import { ChangeDetectionStrategy, Component, ElementRef, computed, effect, inject, signal, untracked, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { formatClock } from '../../core/format';
import { PeaksCache } from '../../core/peaks-cache';
import { Player, describeContext, type QueueTrack } from '../../core/player';
import { Icon } from '../icon';
import { PeaksBars } from '../peaks-bars';
import { SeekSlider } from '../seek-slider';
import { ReorderItem, ReorderList, type ReorderEvent } from '../reorder';

/**
 * The player docked at the bottom of every page: the current track with its waveform
 * progress, play/pause, previous/next, seek, volume, shuffle, repeat, and the queue
 * (what plays next: reorder by dragging or with move up/down, remove, clear).
 * A view of the global `Player`; loaded once something is queued.
 */
@Component({
  selector: 'tt-player-bar',
  imports: [RouterLink, TranslocoPipe, Icon, PeaksBars, ReorderList, ReorderItem, SeekSlider],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './player-bar.html',
  styleUrl: './player-bar.css',
  host: { '(keydown.escape)': 'closeQueue()' },
})
export class PlayerBar {
  protected readonly player = inject(Player);
  private readonly peaksCache = inject(PeaksCache);
  private readonly transloco = inject(TranslocoService);
  protected readonly queueOpen = signal(false);
  /** On narrow screens the bar is one slim row; expanded, it shows every control. */
  protected readonly expanded = signal(false);
  protected readonly announcement = signal('');
  protected readonly peaks = signal<readonly number[] | null>(null);
  protected readonly track = this.player.current;
  protected readonly fraction = computed(() => (this.player.duration() > 0 ? Math.min(1, this.player.time() / this.player.duration()) : 0));
  protected readonly from = computed(() => {
    this.transloco.activeLang(); // in the reader's language
    return describeContext(this.player.context(), (key, params) => this.transloco.translate(key, params));
  });
  protected readonly clock = formatClock;
  private readonly queueToggle = viewChild<ElementRef<HTMLButtonElement>>('queueToggle');

  constructor() {
    // The current track's waveform.
    effect(() => {
      const url = this.track()?.peaks_url ?? null;
      untracked(() => {
        this.peaks.set(null);
        if (url) void this.peaksCache.load(url).then((peaks) => this.track()?.peaks_url === url && this.peaks.set(peaks));
      });
    });
  }

  protected repeatIcon(): 'repeat' | 'repeatOne' {
    return this.player.repeat() === 'one' ? 'repeatOne' : 'repeat';
  }

  protected onVolume(value: string): void {
    this.player.setVolume(Number(value));
  }

  protected toggleQueue(): void {
    this.queueOpen.update((open) => !open);
  }

  protected closeQueue(): void {
    if (!this.queueOpen()) return;
    this.queueOpen.set(false);
    this.queueToggle()?.nativeElement.focus();
  }

  /** `offset`: the item's place in "next up" (the queue's index is after the current one). */
  protected queueIndex(offset: number): number {
    return this.player.index() + 1 + offset;
  }

  protected moveUpcoming(offset: number, by: -1 | 1, item: QueueTrack, button: HTMLElement): void {
    const to = offset + by;
    if (to < 0 || to >= this.player.upNext().length) return;
    this.player.move(this.queueIndex(offset), this.queueIndex(to));
    this.announcement.set(this.transloco.translate('player.moved', { title: item.title, n: to + 1 }));
    // Keep the focus on the same button of the moved item (or its other arrow at an end).
    const edge = to === 0 || to === this.player.upNext().length - 1;
    const direction = edge ? (by < 0 ? 'down' : 'up') : by < 0 ? 'up' : 'down';
    setTimeout(() => (document.querySelector<HTMLElement>(`#player-queue [data-move="${direction}-${item.id}"]`) ?? button).focus());
  }

  protected onReorder(event: ReorderEvent): void {
    const item = this.player.upNext()[event.from];
    this.player.move(this.queueIndex(event.from), this.queueIndex(event.to));
    if (item) this.announcement.set(this.transloco.translate('player.moved', { title: item.title, n: event.to + 1 }));
  }

  protected remove(offset: number): void {
    this.player.removeAt(this.queueIndex(offset));
  }

  protected clear(): void {
    this.player.clearUpcoming();
    this.announcement.set(this.transloco.translate('player.cleared'));
  }

  protected close(): void {
    this.queueOpen.set(false);
    this.player.close();
  }
}
