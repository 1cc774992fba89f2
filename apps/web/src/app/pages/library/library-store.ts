import { Injectable, computed, inject, signal } from '@angular/core';
import { LIBRARY_PAGE_DEFAULT, type LibraryItem } from '@texttune/contracts';
import { Api } from '../../core/api';

/**
 * The library list: pages newest first, a search, more pages on demand. A newer search
 * replaces an older one even if the older answer arrives later.
 */
@Injectable()
export class LibraryStore {
  private readonly api = inject(Api);
  private generation = 0;
  readonly items = signal<LibraryItem[]>([]);
  readonly query = signal('');
  readonly cursor = signal<string | null>(null);
  readonly loading = signal(false);
  readonly loaded = signal(false);
  readonly failed = signal(false);
  readonly hasMore = computed(() => this.cursor() !== null);

  /** Starts the list again for `q`. */
  async search(q: string): Promise<void> {
    const run = ++this.generation;
    this.query.set(q);
    this.items.set([]);
    this.cursor.set(null);
    this.loaded.set(false);
    await this.fetch(run, null);
  }

  /** The next page, if any (and none is already on its way). */
  async more(): Promise<void> {
    const cursor = this.cursor();
    if (!cursor || this.loading()) return;
    await this.fetch(this.generation, cursor);
  }

  /** Puts new tracks first (a job that just finished), its takes together and in order. */
  prepend(items: LibraryItem[]): void {
    const fresh = new Set(items.map((item) => item.id));
    this.items.update((list) => groupTakes([...items, ...list.filter((item) => !fresh.has(item.id))]));
  }

  /** Drops an item (after the server deleted it). */
  remove(id: string): void {
    this.items.update((list) => list.filter((item) => item.id !== id));
  }

  private async fetch(run: number, cursor: string | null): Promise<void> {
    this.loading.set(true);
    this.failed.set(false);
    try {
      const page = await this.api.library({ limit: LIBRARY_PAGE_DEFAULT, cursor, q: this.query() });
      if (run !== this.generation) return;
      const known = new Set(this.items().map((item) => item.id));
      this.items.update((list) => groupTakes([...list, ...page.items.filter((item) => !known.has(item.id))]));
      this.cursor.set(page.next_cursor);
      this.loaded.set(true);
    } catch {
      if (run === this.generation) this.failed.set(true);
    } finally {
      if (run === this.generation) this.loading.set(false);
    }
  }
}

/**
 * The takes of one request side by side, in take order, where the newest of them is in the
 * list: they are stored at one instant, so newest-first alone leaves them in any order (and
 * a page boundary may split them).
 */
export function groupTakes(items: readonly LibraryItem[]): LibraryItem[] {
  const groups = new Map<string, LibraryItem[]>();
  const order: (LibraryItem | LibraryItem[])[] = [];
  for (const item of items) {
    if (!item.job_id) {
      order.push(item);
      continue;
    }
    let group = groups.get(item.job_id);
    if (!group) {
      group = [];
      groups.set(item.job_id, group);
      order.push(group);
    }
    group.push(item);
  }
  return order.flatMap((entry) => (Array.isArray(entry) ? [...entry].sort((a, b) => a.take_index - b.take_index) : [entry]));
}
