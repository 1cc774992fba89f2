import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { PLAYLIST_TITLE_MAX_LENGTH, type PlaylistSummary } from '@texttune/contracts';
import { Api } from '../../core/api';
import { ErrorText } from '../../core/error-text';
import { toErrorResponse } from '../../core/errors';
import { formatClock } from '../../core/format';
import { LanguageService } from '../../core/language';
import { Notifications } from '../../core/notifications';
import { Player } from '../../core/player';
import { PlaylistsStore, playlistContext, playlistTracks } from '../../core/playlists';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Icon } from '../../ui/icon';

/** The user's playlists: create, rename, delete, play, open. */
@Component({
  selector: 'tt-playlists',
  imports: [RouterLink, DatePipe, TranslocoPipe, Icon, ConfirmDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './playlists.html',
  styleUrl: './playlists.css',
})
export class PlaylistsPage {
  protected readonly store = inject(PlaylistsStore);
  private readonly api = inject(Api);
  private readonly player = inject(Player);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  private readonly errorText = inject(ErrorText);
  /** the locale of dates */
  protected readonly lang = inject(LanguageService).current;
  protected readonly clock = formatClock;
  protected readonly titleMax = PLAYLIST_TITLE_MAX_LENGTH;
  protected readonly draft = signal('');
  protected readonly createError = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly loadFailed = signal(false);
  protected readonly renamingId = signal<string | null>(null);
  protected readonly renameDraft = signal('');
  protected readonly renameError = signal<string | null>(null);
  protected readonly pending = signal<PlaylistSummary | null>(null);
  private readonly confirmDelete = viewChild.required<ConfirmDialog>('confirmDelete');

  constructor() {
    void this.reload();
  }

  protected async reload(): Promise<void> {
    this.loadFailed.set(false);
    await this.store.load(true).catch(() => this.loadFailed.set(true));
  }

  protected async create(): Promise<void> {
    const title = this.draft().trim();
    this.createError.set(null);
    if (!title) {
      this.createError.set(this.transloco.translate('playlists.titleRequired'));
      document.getElementById('new-playlist')?.focus();
      return;
    }
    this.busy.set('create');
    try {
      const playlist = await this.store.create(title);
      this.draft.set('');
      this.notifications.info(this.transloco.translate('playlists.created', { title: playlist.title }));
    } catch (error) {
      this.createError.set(this.errorText.describe(toErrorResponse(error)));
      document.getElementById('new-playlist')?.focus();
    } finally {
      this.busy.set(null);
    }
  }

  protected async play(playlist: PlaylistSummary): Promise<void> {
    this.busy.set(`play-${playlist.id}`);
    try {
      const full = await this.api.playlist(playlist.id);
      this.store.updated(full);
      if (full.tracks.length) this.player.playContext(playlistContext(full), playlistTracks(full));
      else this.notifications.info(this.transloco.translate('playlists.nothingToPlay'));
    } catch (error) {
      this.notifications.error(this.errorText.describe(toErrorResponse(error)));
    } finally {
      this.busy.set(null);
    }
  }

  protected startRename(playlist: PlaylistSummary): void {
    this.renamingId.set(playlist.id);
    this.renameDraft.set(playlist.title);
    this.renameError.set(null);
    setTimeout(() => document.getElementById(`rename-${playlist.id}`)?.focus());
  }

  protected cancelRename(playlist: PlaylistSummary): void {
    this.renamingId.set(null);
    setTimeout(() => document.getElementById(`rename-button-${playlist.id}`)?.focus());
  }

  protected async saveRename(playlist: PlaylistSummary): Promise<void> {
    const title = this.renameDraft().trim();
    if (!title) {
      this.renameError.set(this.transloco.translate('playlists.titleRequired'));
      return;
    }
    this.busy.set(`rename-${playlist.id}`);
    try {
      this.store.updated(await this.api.renamePlaylist(playlist.id, title));
      this.cancelRename(playlist);
      this.notifications.info(this.transloco.translate('playlists.renamed'));
    } catch (error) {
      this.renameError.set(this.errorText.describe(toErrorResponse(error)));
    } finally {
      this.busy.set(null);
    }
  }

  protected async remove(playlist: PlaylistSummary): Promise<void> {
    this.pending.set(playlist);
    if (!(await this.confirmDelete().ask())) return;
    this.busy.set(`delete-${playlist.id}`);
    try {
      await this.api.deletePlaylist(playlist.id);
      this.store.removed(playlist.id);
      this.notifications.info(this.transloco.translate('playlists.deleted', { title: playlist.title }));
    } catch {
      // the interceptor showed the server's sentence
    } finally {
      this.busy.set(null);
    }
  }
}
