import { ChangeDetectionStrategy, Component, ElementRef, inject, signal, viewChild } from '@angular/core';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { PLAYLIST_TITLE_MAX_LENGTH, type PlaylistSummary } from '@texttune/contracts';
import { Api } from '../core/api';
import { ErrorText } from '../core/error-text';
import { toErrorResponse } from '../core/errors';
import { Notifications } from '../core/notifications';
import { Player } from '../core/player';
import { PlaylistsStore, playlistContext, playlistTracks } from '../core/playlists';
import { Icon } from './icon';

/**
 * "Add to playlist": a modal list of the user's playlists, and "New playlist…" to make
 * one and add the track to it at once. One per page; `open(track)` shows it for a track.
 */
@Component({
  selector: 'tt-add-to-playlist',
  imports: [TranslocoPipe, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog #dialog aria-labelledby="add-to-playlist-title" (close)="onClose()" data-testid="add-to-playlist">
      <h2 id="add-to-playlist-title">{{ 'playlists.addTitle' | transloco: { title: track()?.title ?? '' } }}</h2>
      @if (store.items(); as list) {
        @if (list.length) {
          <ul class="choices">
            @for (playlist of list; track playlist.id) {
              <li>
                <button type="button" class="choice" (click)="add(playlist)" [disabled]="busy()">
                  <span class="name">{{ playlist.title }}</span>
                  <span class="muted small">{{ 'playlists.count' | transloco: { n: playlist.track_count } }}</span>
                </button>
              </li>
            }
          </ul>
        } @else {
          <p class="muted">{{ 'playlists.noneYet' | transloco }}</p>
        }
      } @else {
        <p class="muted" role="status"><span class="spinner" aria-hidden="true"></span> {{ 'common.loading' | transloco }}</p>
      }
      @if (creating()) {
        <form class="new" (submit)="$event.preventDefault(); createAndAdd()">
          <label for="new-playlist-title">{{ 'playlists.newTitleLabel' | transloco }}</label>
          <div class="row">
            <input
              #titleInput
              id="new-playlist-title"
              type="text"
              [value]="draft()"
              (input)="draft.set($any($event.target).value)"
              [attr.maxlength]="titleMax"
              [attr.aria-invalid]="!!error()"
              [attr.aria-describedby]="error() ? 'add-to-playlist-error' : null"
              autocomplete="off"
              required
            />
            <button type="submit" class="btn primary" [disabled]="busy()">{{ 'playlists.createAndAdd' | transloco }}</button>
          </div>
        </form>
      } @else {
        <button type="button" class="btn ghost new-button" (click)="startNew()"><tt-icon name="plus" />{{ 'playlists.newPlaylist' | transloco }}</button>
      }
      @if (error(); as message) {
        <p class="field-error" id="add-to-playlist-error" role="alert">{{ message }}</p>
      }
      <div class="actions">
        <button type="button" class="btn" (click)="close()">{{ 'common.cancel' | transloco }}</button>
      </div>
    </dialog>
  `,
  styles: `
    dialog { border: 1px solid var(--border); border-radius: var(--radius-lg); padding: 1.5rem; width: min(28rem, calc(100vw - 2rem)); background: var(--surface); color: var(--text); box-shadow: var(--shadow-lg); }
    dialog::backdrop { background: rgb(15 12 30 / 0.55); }
    h2 { margin: 0 0 1rem; font-size: 1.2rem; overflow-wrap: anywhere; }
    .choices { list-style: none; margin: 0 0 0.75rem; padding: 0; display: grid; gap: 0.25rem; max-height: 16rem; overflow: auto; }
    .choice { width: 100%; display: flex; justify-content: space-between; align-items: center; gap: 0.75rem; min-height: 2.75rem; padding: 0.5rem 0.75rem; border: 1px solid var(--border); border-radius: var(--radius); background: var(--surface); text-align: left; cursor: pointer; }
    .choice:hover:not(:disabled) { border-color: var(--accent); background: var(--accent-soft); }
    .name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .small { font-size: 0.85rem; flex: none; }
    .new { display: grid; gap: 0.375rem; margin-top: 0.5rem; }
    .new label { font-weight: 600; }
    .row { display: flex; gap: 0.5rem; }
    .row input { flex: 1; min-width: 0; }
    .new-button { padding-left: 0.5rem; }
    .field-error { margin-top: 0.5rem; }
    .actions { display: flex; justify-content: flex-end; margin-top: 1.25rem; }
  `,
})
export class AddToPlaylistDialog {
  protected readonly store = inject(PlaylistsStore);
  private readonly api = inject(Api);
  private readonly player = inject(Player);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  private readonly errorText = inject(ErrorText);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly titleInput = viewChild<ElementRef<HTMLInputElement>>('titleInput');
  protected readonly track = signal<{ id: string; title: string } | null>(null);
  protected readonly creating = signal(false);
  protected readonly draft = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly titleMax = PLAYLIST_TITLE_MAX_LENGTH;

  /** Shows the choice for `track`. */
  open(track: { id: string; title: string }): void {
    this.track.set(track);
    this.error.set(null);
    this.creating.set(false);
    this.draft.set('');
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.showModal === 'function' && !dialog.open) dialog.showModal();
    else dialog.setAttribute('open', '');
    this.store.load().then(
      (list) => !list.length && this.startNew(),
      () => this.close(), // the interceptor said why
    );
  }

  close(): void {
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.close === 'function') dialog.close();
    else dialog.removeAttribute('open');
    this.onClose();
  }

  protected onClose(): void {
    this.track.set(null);
    this.busy.set(false);
  }

  protected startNew(): void {
    this.creating.set(true);
    this.error.set(null);
    setTimeout(() => this.titleInput()?.nativeElement.focus());
  }

  protected async add(playlist: Pick<PlaylistSummary, 'id' | 'title'>): Promise<void> {
    const track = this.track();
    if (!track || this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const updated = await this.api.addToPlaylist(playlist.id, { trackId: track.id });
      this.store.updated(updated);
      this.player.syncContext(playlistContext(updated), playlistTracks(updated));
      this.notifications.info(this.transloco.translate('playlists.added', { title: track.title, playlist: updated.title }));
      this.close();
    } catch (error) {
      const body = toErrorResponse(error);
      this.error.set(body.code === 'conflict' ? this.transloco.translate('playlists.alreadyIn', { title: track.title, playlist: playlist.title }) : this.errorText.describe(body));
    } finally {
      this.busy.set(false);
    }
  }

  protected async createAndAdd(): Promise<void> {
    const title = this.draft().trim();
    if (!title) {
      this.error.set(this.transloco.translate('playlists.titleRequired'));
      this.titleInput()?.nativeElement.focus();
      return;
    }
    if (this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    let created;
    try {
      created = await this.store.create(title);
    } catch (error) {
      this.error.set(this.errorText.describe(toErrorResponse(error)));
      return;
    } finally {
      this.busy.set(false);
    }
    this.creating.set(false);
    await this.add(created);
  }
}
