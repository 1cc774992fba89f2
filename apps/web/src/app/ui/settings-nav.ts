import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink, RouterLinkActive } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';

/** The tabs between the account's own pages: settings, API tokens, webhooks. */
@Component({
  selector: 'tt-settings-nav',
  imports: [RouterLink, RouterLinkActive, TranslocoPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nav [attr.aria-label]="'settings.sections' | transloco">
      <a routerLink="/settings" routerLinkActive="active" ariaCurrentWhenActive="page" [routerLinkActiveOptions]="{ exact: true }">{{ 'nav.settings' | transloco }}</a>
      <a routerLink="/tokens" routerLinkActive="active" ariaCurrentWhenActive="page">{{ 'nav.tokens' | transloco }}</a>
      <a routerLink="/webhooks" routerLinkActive="active" ariaCurrentWhenActive="page">{{ 'nav.webhooks' | transloco }}</a>
    </nav>
  `,
  styles: `
    nav { display: flex; gap: 0.25rem; border-bottom: 1px solid var(--border); margin-bottom: 1.5rem; }
    a { padding: 0.6rem 0.9rem; color: var(--muted-strong); text-decoration: none; font-weight: 600; border-bottom: 3px solid transparent; margin-bottom: -1px; }
    a:hover { color: var(--text); }
    a.active { color: var(--accent-strong); border-bottom-color: var(--accent); }
  `,
})
export class SettingsNav {}
