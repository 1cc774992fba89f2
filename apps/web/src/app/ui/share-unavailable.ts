import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';

/** The public page of a share link (`/s/…`, `/p/…`) until it shows: "loading", or gone when `missing`. */
@Component({
  selector: 'tt-share-unavailable',
  imports: [RouterLink, TranslocoPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (missing()) {
      <section class="empty">
        <h1>{{ 'shared.goneTitle' | transloco }}</h1>
        <p class="muted">{{ 'shared.goneBody' | transloco }}</p>
        <a routerLink="/" class="btn primary">{{ 'shared.makeYourOwn' | transloco }}</a>
      </section>
    } @else {
      <p class="muted" role="status"><span class="spinner" aria-hidden="true"></span> {{ 'common.loading' | transloco }}</p>
    }
  `,
  styles: `
    :host { display: contents; }
  `,
})
export class ShareUnavailable {
  /** the link is unknown, revoked or expired */
  readonly missing = input(false);
}
