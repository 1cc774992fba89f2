import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { PLAYLIST_TITLE_MAX_LENGTH, type LibraryItem, type PlaylistResponse } from '@texttune/contracts';
import { Api } from '../../core/api';
import { ErrorText } from '../../core/error-text';
import { toErrorResponse } from '../../core/errors';
import { formatClock } from '../../core/format';
import { Notifications } from '../../core/notifications';
import { Player, moved } from '../../core/player';
import { PlaylistsStore, playlistContext, playlistTracks } from '../../core/playlists';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Icon } from '../../ui/icon';
import { InlinePlayer } from '../../ui/inline-player';
import { ReorderItem, ReorderList, type ReorderEvent } from '../../ui/reorder';
import { ShareLinks } from '../../ui/share-links';

/**
 * One playlist: its tracks in order (drag to reorder, or move up/down with the keyboard),
 * remove, play all, rename, share, delete. Every reorder is one atomic `PUT …/order`.
 */
@Component({
  selector: 'tt-playlist',
  imports: [RouterLink, TranslocoPipe, Icon, InlinePlayer, ConfirmDialog, ReorderList, ReorderItem, ShareLinks],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './playlist.html',
  styleUrls: ['../detail-page.css', './playlist.css'],
})
export class PlaylistPage {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  private readonly store = inject(PlaylistsStore);
  private readonly player = inject(Player);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  private readonly errorText = inject(ErrorText);
  /** route parameter */
  readonly id = input.required<string>();

  protected readonly playlist = signal<PlaylistResponse | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly announcement = signal('');
  protected readonly renaming = signal(false);
  protected readonly titleDraft = signal('');
  protected readonly renameError = signal<string | null>(null);
  protected readonly titleMax = PLAYLIST_TITLE_MAX_LENGTH;
  protected readonly queueTracks = computed(() => (this.playlist() ? playlistTracks(this.playlist()!) : []));
  protected readonly context = computed(() => playlistContext(this.playlist() ?? { id: this.id(), title: '' }));
  protected readonly clock = formatClock;
  private readonly confirmDelete = viewChild.required<ConfirmDialog>('confirmDelete');

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.load(id));
    });
  }

  protected playAll(): void {
    this.player.playContext(this.context(), this.queueTracks());
  }

  protected shuffleAll(): void {
    if (!this.player.shuffle()) this.player.toggleShuffle();
    this.player.playContext(this.context(), this.queueTracks());
  }

  /** Keyboard reordering: the item moves one place; the focus stays on its arrow. */
  protected move(index: number, by: -1 | 1, item: LibraryItem): void {
    const length = this.playlist()?.tracks.length ?? 0;
    const to = index + by;
    if (to < 0 || to >= length) return;
    void this.reorder(index, to);
    const atEdge = to === 0 || to === length - 1;
    const direction = atEdge ? (by < 0 ? 'down' : 'up') : by < 0 ? 'up' : 'down';
    setTimeout(() => document.querySelector<HTMLElement>(`[data-move="${direction}-${item.id}"]`)?.focus());
  }

  protected onReorder(event: ReorderEvent): void {
    void this.reorder(event.from, event.to);
  }

  /** Shows the new order at once, then saves it; the old one comes back if saving fails. */
  private async reorder(from: number, to: number): Promise<void> {
    const before = this.playlist();
    if (!before) return;
    const item = before.tracks[from];
    const tracks = moved(before.tracks, from, to);
    this.show({ ...before, tracks });
    this.announcement.set(this.transloco.translate('playlist.moved', { title: item.title, n: to + 1, total: tracks.length }));
    try {
      const saved = await this.api.reorderPlaylist(before.id, tracks.map((t) => t.id));
      // A newer change may be on its way: only the latest order is shown.
      if (this.playlist()?.tracks.map((t) => t.id).join() === saved.tracks.map((t) => t.id).join()) this.show(saved);
    } catch {
      this.show(before);
      this.announcement.set(this.transloco.translate('playlist.reorderFailed'));
    }
  }

  protected async removeTrack(item: LibraryItem): Promise<void> {
    const playlist = this.playlist();
    if (!playlist) return;
    this.busy.set(`remove-${item.id}`);
    try {
      await this.api.removeFromPlaylist(playlist.id, item.id);
      const current = this.playlist() ?? playlist;
      const tracks = current.tracks.filter((t) => t.id !== item.id);
      this.show({ ...current, tracks, track_count: tracks.length, duration: Math.max(0, current.duration - item.duration) });
      const text = this.transloco.translate('playlist.removed', { title: item.title });
      this.announcement.set(text);
      this.notifications.info(text);
      setTimeout(() => document.getElementById('play-all')?.focus());
    } catch {
      // the interceptor showed the server's sentence
    } finally {
      this.busy.set(null);
    }
  }

  protected startRename(): void {
    this.titleDraft.set(this.playlist()?.title ?? '');
    this.renameError.set(null);
    this.renaming.set(true);
    setTimeout(() => document.getElementById('playlist-title-input')?.focus());
  }

  protected cancelRename(): void {
    this.renaming.set(false);
    setTimeout(() => document.getElementById('rename-button')?.focus());
  }

  protected async saveTitle(): Promise<void> {
    const playlist = this.playlist();
    const title = this.titleDraft().trim();
    if (!playlist) return;
    if (!title) {
      this.renameError.set(this.transloco.translate('playlists.titleRequired'));
      return;
    }
    this.busy.set('rename');
    try {
      this.show(await this.api.renamePlaylist(playlist.id, title));
      this.cancelRename();
      this.notifications.info(this.transloco.translate('playlists.renamed'));
    } catch (error) {
      this.renameError.set(this.errorText.describe(toErrorResponse(error)));
    } finally {
      this.busy.set(null);
    }
  }

  protected async remove(): Promise<void> {
    const playlist = this.playlist();
    if (!playlist || !(await this.confirmDelete().ask())) return;
    this.busy.set('delete');
    try {
      await this.api.deletePlaylist(playlist.id);
      this.store.removed(playlist.id);
      this.notifications.info(this.transloco.translate('playlists.deleted', { title: playlist.title }));
      await this.router.navigateByUrl('/playlists');
    } catch {
      // shown by the interceptor
    } finally {
      this.busy.set(null);
    }
  }

  /** The playlist as it now is, here, in the Playlists list and in the queue when it is playing. */
  private show(playlist: PlaylistResponse): void {
    this.playlist.set(playlist);
    this.store.updated(playlist);
    this.player.syncContext(playlistContext(playlist), playlistTracks(playlist));
  }

  private async load(id: string): Promise<void> {
    this.loadError.set(null);
    this.renaming.set(false);
    try {
      const playlist = await this.api.playlist(id);
      if (id !== this.id()) return;
      this.playlist.set(playlist);
    } catch (error) {
      this.playlist.set(null);
      this.loadError.set(this.errorText.describe(toErrorResponse(error)));
    }
  }
}
