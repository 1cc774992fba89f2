import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import type { LibraryItem } from '@texttune/contracts';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ActiveJobs } from '../../core/active-jobs';
import { Api } from '../../core/api';
import { LanguageService } from '../../core/language';
import { formatClock } from '../../core/format';
import { Notifications } from '../../core/notifications';
import { Player, fromLibraryItem, type PlayContext } from '../../core/player';
import { AddToPlaylistDialog } from '../../ui/add-to-playlist';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Icon } from '../../ui/icon';
import { InlinePlayer } from '../../ui/inline-player';
import { JobCard } from '../../ui/job-card';
import { LibraryStore } from './library-store';

const SEARCH_DEBOUNCE_MS = 300;

@Component({
  selector: 'tt-library',
  imports: [RouterLink, DatePipe, TranslocoPipe, Icon, InlinePlayer, ConfirmDialog, AddToPlaylistDialog, JobCard],
  providers: [LibraryStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './library.html',
  styleUrl: './library.css',
})
export class LibraryPage {
  protected readonly store = inject(LibraryStore);
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  /** the user's generations under way, shown above the list until their tracks take their place */
  protected readonly activeJobs = inject(ActiveJobs);
  /** query parameter */
  readonly q = input<string>();
  protected readonly searchText = signal('');
  protected readonly pending = signal<LibraryItem | null>(null);
  protected readonly announcement = signal('');
  /** the locale of dates */
  protected readonly lang = inject(LanguageService).current;
  protected readonly clock = formatClock;
  private readonly player = inject(Player);
  /** "Play" in the library queues the library as it is shown (the search, the pages loaded). */
  /** how many takes of each request are in the list (a take number is shown when there are several) */
  protected readonly takeCounts = computed(() => {
    const counts = new Map<string, number>();
    for (const item of this.store.items()) if (item.job_id) counts.set(item.job_id, (counts.get(item.job_id) ?? 0) + 1);
    return counts;
  });
  protected readonly queueTracks = computed(() => this.store.items().map(fromLibraryItem));
  protected readonly playContext = computed<PlayContext>(() => {
    const q = this.store.query();
    return { kind: 'library', key: q, label: q, link: q ? `/library?q=${encodeURIComponent(q)}` : '/library' };
  });
  private readonly addToPlaylist = viewChild.required<AddToPlaylistDialog>('playlistPicker');
  private readonly sentinel = viewChild<ElementRef<HTMLElement>>('sentinel');
  private readonly confirm = viewChild.required<ConfirmDialog>('confirmDelete');
  private debounce?: ReturnType<typeof setTimeout>;

  constructor() {
    // The query string is the source of truth for the search (reload and back keep it).
    effect(() => {
      const q = (this.q() ?? '').trim();
      untracked(() => {
        this.searchText.set(q);
        void this.store.search(q).then(() => this.announce());
      });
    });

    // Infinite scroll: the next page when the end of the list comes into view.
    effect((onCleanup) => {
      const sentinel = this.sentinel()?.nativeElement;
      if (!sentinel || typeof IntersectionObserver === 'undefined') return;
      const observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) void this.store.more();
      }, { rootMargin: '400px' });
      observer.observe(sentinel);
      onCleanup(() => observer.disconnect());
    });

    // A job that finishes while the library is open: its takes appear at the top.
    this.activeJobs.finished.pipe(takeUntilDestroyed()).subscribe((job) => {
      if (job.status === 'succeeded' && job.track_ids.length) void this.addTakes(job.track_ids);
    });

    inject(DestroyRef).onDestroy(() => clearTimeout(this.debounce));
  }

  protected onSearch(value: string): void {
    this.searchText.set(value);
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      void this.router.navigate([], { queryParams: { q: value.trim() || null }, replaceUrl: true });
    }, SEARCH_DEBOUNCE_MS);
  }

  protected clearSearch(): void {
    this.onSearch('');
  }

  protected playAll(): void {
    this.player.playContext(this.playContext(), this.queueTracks());
  }

  protected openAddToPlaylist(item: LibraryItem): void {
    this.addToPlaylist().open(item);
  }

  protected async loadMore(): Promise<void> {
    const before = this.store.items().length;
    await this.store.more();
    this.announcement.set(this.transloco.translate('library.loadedMore', { n: this.store.items().length - before }));
  }

  protected async remove(item: LibraryItem): Promise<void> {
    this.pending.set(item);
    if (!(await this.confirm().ask())) return;
    try {
      await this.api.deleteTrack(item.id);
      this.store.remove(item.id);
      this.player.forget(item.id);
      const text = this.transloco.translate('library.deleted', { title: item.title });
      this.announcement.set(text);
      this.notifications.info(text);
    } catch {
      // the interceptor showed the server's sentence
    }
  }

  private async addTakes(ids: string[]): Promise<void> {
    try {
      const takes = await Promise.all(ids.map((id) => this.api.track(id)));
      // A search shows only what matches it; the new takes are there when it is cleared.
      if (this.store.query()) return;
      this.store.prepend(takes);
      this.announcement.set(this.transloco.translate('library.added', { n: takes.length, title: takes[0].title }));
    } catch {
      // deleted meanwhile, or offline: a reload shows the list as it is
    }
  }

  private announce(): void {
    const n = this.store.items().length;
    const q = this.store.query();
    this.announcement.set(q ? this.transloco.translate(n ? 'library.found' : 'library.noneFound', { n, q }) : '');
  }
}
