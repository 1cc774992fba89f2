import { Injectable, signal } from '@angular/core';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

/** Short messages shown in the page's live region (errors stay until dismissed). */
@Injectable({ providedIn: 'root' })
export class Notifications {
  private nextId = 1;
  readonly notices = signal<Notice[]>([]);

  info(text: string, ms = 5000): void {
    this.push('info', text, ms);
  }

  error(text: string): void {
    // The same sentence twice in a row (several failing requests) is shown once.
    if (this.notices().some((n) => n.kind === 'error' && n.text === text)) return;
    this.push('error', text, 12000);
  }

  dismiss(id: number): void {
    this.notices.update((list) => list.filter((n) => n.id !== id));
  }

  private push(kind: Notice['kind'], text: string, ms: number): void {
    const id = this.nextId++;
    this.notices.update((list) => [...list.slice(-3), { id, kind, text }]);
    if (ms > 0) setTimeout(() => this.dismiss(id), ms);
  }
}
