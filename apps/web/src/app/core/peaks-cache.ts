import { Injectable, inject } from '@angular/core';
import { Api } from './api';

/** Waveforms by URL, fetched once per page load (a failed fetch is tried again next time). */
@Injectable({ providedIn: 'root' })
export class PeaksCache {
  private readonly api = inject(Api);
  private readonly cache = new Map<string, Promise<number[] | null>>();

  load(url: string): Promise<number[] | null> {
    let pending = this.cache.get(url);
    if (!pending) {
      pending = this.api.peaks(url).then(
        (body) => body.peaks,
        () => {
          this.cache.delete(url);
          return null;
        },
      );
      this.cache.set(url, pending);
      if (this.cache.size > 500) this.cache.delete(this.cache.keys().next().value as string);
    }
    return pending;
  }
}
