import { Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import type { PlaylistResponse, PlaylistSummary } from '@texttune/contracts';
import { Api } from './api';
import { AuthStore } from './auth';
import { fromLibraryItem, type PlayContext, type QueueTrack } from './player';

/** What "Play" in a playlist queues, and where the player says it comes from. */
export function playlistContext(playlist: Pick<PlaylistSummary, 'id' | 'title'>): PlayContext {
  return { kind: 'playlist', key: playlist.id, label: playlist.title, link: `/playlists/${playlist.id}` };
}

export function playlistTracks(playlist: PlaylistResponse): QueueTrack[] {
  return playlist.tracks.map(fromLibraryItem);
}

const summaryOf = ({ tracks: _tracks, ...summary }: PlaylistResponse): PlaylistSummary => summary;

/**
 * The signed-in user's playlists (the summaries), shared by the Playlists page and every
 * "Add to playlist": fetched once, kept in step with what this client changes.
 */
@Injectable({ providedIn: 'root' })
export class PlaylistsStore {
  private readonly api = inject(Api);
  private pending?: Promise<PlaylistSummary[]>;
  /** null until loaded */
  readonly items = signal<PlaylistSummary[] | null>(null);
  private readonly auth = inject(AuthStore);
  private readonly userId = computed(() => this.auth.user()?.id ?? null);

  constructor() {
    // Another account's playlists are not this one's.
    let seen: string | null | undefined;
    effect(() => {
      const id = this.userId();
      untracked(() => {
        if (seen !== undefined && seen !== id) this.reset();
        seen = id;
      });
    });
  }

  /** The list, from the server the first time (or when `fresh`). */
  load(fresh = false): Promise<PlaylistSummary[]> {
    const known = this.items();
    if (known && !fresh) return Promise.resolve(known);
    this.pending ??= this.api
      .playlists()
      .then((list) => {
        this.items.set(list.items);
        return list.items;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Creates one (errors are the caller's to show: a title problem, the limit). */
  async create(title: string): Promise<PlaylistResponse> {
    const playlist = await this.api.createPlaylist(title);
    this.items.update((list) => (list ? [summaryOf(playlist), ...list.filter((p) => p.id !== playlist.id)] : list));
    return playlist;
  }

  /** A playlist's new state (after adding, removing, reordering, renaming). */
  updated(playlist: PlaylistResponse | PlaylistSummary): void {
    const summary = 'tracks' in playlist ? summaryOf(playlist) : playlist;
    this.items.update((list) => list?.map((p) => (p.id === summary.id ? summary : p)) ?? list);
  }

  removed(id: string): void {
    this.items.update((list) => list?.filter((p) => p.id !== id) ?? list);
  }

  /** Forget (another account signed in). */
  reset(): void {
    this.items.set(null);
  }
}
