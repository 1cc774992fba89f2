import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, inject, signal, viewChild } from '@angular/core';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { AuthStore } from './core/auth';
import { LANGUAGE_NAMES, LANGUAGES, LanguageService, type Language } from './core/language';
import { Notifications } from './core/notifications';
import { Player } from './core/player';
import { Icon } from './ui/icon';
import { JobsIndicator } from './ui/jobs-indicator';
import { PlayerBar } from './ui/player-bar/player-bar';
import { ActiveJobs } from './core/active-jobs';

/** The shell: skip link, header (navigation, language, account), the page, messages, the player docked below. */
@Component({
  selector: 'tt-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, TranslocoPipe, Icon, PlayerBar, JobsIndicator],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
  styleUrl: './app.css',
  host: { '[class.with-player]': '!!player.current()', '(document:click)': 'onDocumentClick($event)', '(document:keydown.escape)': 'closeMenu(true)' },
})
export class App {
  protected readonly auth = inject(AuthStore);
  protected readonly language = inject(LanguageService);
  protected readonly notifications = inject(Notifications);
  /** Lives as long as the page: navigating never interrupts it. */
  protected readonly player = inject(Player);
  private readonly router = inject(Router);
  /** Follows the user's generations on every page (the Library's cards, the header's indicator, the messages). */
  protected readonly activeJobs = inject(ActiveJobs);
  protected readonly languages = LANGUAGES;
  protected readonly languageNames = LANGUAGE_NAMES;
  /**
   * The header's menu on narrow screens (on wide ones its content is always shown). It
   * closes as a menu does: on a click outside it, on Escape anywhere, and on navigation.
   */
  protected readonly menuOpen = signal(false);
  private readonly menuToggle = viewChild<ElementRef<HTMLButtonElement>>('menuToggle');
  private readonly menu = viewChild<ElementRef<HTMLElement>>('menu');

  constructor() {
    void this.auth.ensure().catch(() => undefined);
    // After moving to another page (not a query change such as a search), screen readers
    // and keyboards start at the new page's content.
    let lastPath: string | undefined;
    const subscription = this.router.events.subscribe((event) => {
      if (!(event instanceof NavigationEnd)) return;
      this.menuOpen.set(false);
      const path = event.urlAfterRedirects.split(/[?#]/)[0];
      if (lastPath !== undefined && path !== lastPath) setTimeout(() => document.getElementById('main')?.focus({ preventScroll: true }));
      lastPath = path;
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  protected onDocumentClick(event: Event): void {
    const target = event.target as Node | null;
    if (!this.menuOpen() || !target) return;
    if (this.menu()?.nativeElement.contains(target) || this.menuToggle()?.nativeElement.contains(target)) return;
    this.closeMenu(false);
  }

  protected closeMenu(focusToggle: boolean): void {
    if (!this.menuOpen()) return;
    this.menuOpen.set(false);
    if (focusToggle) this.menuToggle()?.nativeElement.focus();
  }

  protected setLanguage(value: string): void {
    void this.language.use(value as Language);
  }

  protected async signOut(): Promise<void> {
    // The queue is this account's: it goes with it.
    this.player.close();
    this.menuOpen.set(false);
    const providerLogout = await this.auth.logout().catch(() => null);
    // A single sign-on session also ends at the provider (a full page load).
    if (providerLogout) window.location.assign(providerLogout);
    else await this.router.navigateByUrl('/');
  }

  protected focusMain(event: Event): void {
    event.preventDefault();
    document.getElementById('main')?.focus();
  }
}
