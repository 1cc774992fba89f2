import { Injectable, inject } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { TitleStrategy, type RouterStateSnapshot } from '@angular/router';
import { TranslocoService } from '@jsverse/transloco';

/**
 * Page titles are translation keys: "Library · TextTune", kept in step with the language.
 * A page about one thing (a track) names it instead, with `name()`, until the next navigation.
 */
@Injectable()
export class TranslatedTitleStrategy extends TitleStrategy {
  private readonly title = inject(Title);
  private readonly transloco = inject(TranslocoService);
  private key?: string;
  private subject: string | null = null;

  constructor() {
    super();
    this.transloco.langChanges$.subscribe(() => this.apply());
  }

  override updateTitle(snapshot: RouterStateSnapshot): void {
    this.key = this.buildTitle(snapshot);
    this.subject = null;
    this.apply();
  }

  /** "Lighthouse at dusk · TextTune" while the current page shows that; null: the route's title. */
  name(subject: string | null): void {
    this.subject = subject?.trim() || null;
    this.apply();
  }

  private apply(): void {
    const page = this.subject ?? (this.key ? this.transloco.translate(this.key) : '');
    this.title.setTitle(page && page !== this.key ? `${page} · TextTune` : 'TextTune');
  }
}
