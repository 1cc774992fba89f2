import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';

@Component({
  selector: 'tt-not-found',
  imports: [RouterLink, TranslocoPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="empty">
      <h1>{{ 'notFound.title' | transloco }}</h1>
      <p class="muted">{{ 'notFound.body' | transloco }}</p>
      <a routerLink="/" class="btn primary">{{ 'notFound.home' | transloco }}</a>
    </section>
  `,
})
export class NotFoundPage {}
