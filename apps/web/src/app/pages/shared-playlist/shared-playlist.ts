import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { SharedPlaylistResponse } from '@texttune/contracts';
import { Api } from '../../core/api';
import { formatClock } from '../../core/format';
import { LanguageService } from '../../core/language';
import { Player, fromSharedTrack, type PlayContext } from '../../core/player';
import { Icon } from '../../ui/icon';
import { InlinePlayer } from '../../ui/inline-player';
import { ShareUnavailable } from '../../ui/share-unavailable';

/**
 * A shared playlist's public page: its tracks, each playable through the link (a loop
 * repeating gaplessly when it plays alone or under repeat-one) and downloadable where the
 * owner allowed it, and "Play all".
 */
@Component({
  selector: 'tt-shared-playlist',
  imports: [RouterLink, DatePipe, TranslocoPipe, Icon, InlinePlayer, ShareUnavailable],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (playlist(); as p) {
      <article class="shared" aria-labelledby="shared-title">
        <p class="eyebrow">{{ 'sharedPlaylist.eyebrow' | transloco }}</p>
        <h1 id="shared-title">{{ p.title }}</h1>
        <p class="muted">
          {{ 'playlists.count' | transloco: { n: p.tracks.length } }} · {{ clock(total()) }} ·
          {{ 'shared.until' | transloco: { date: (p.expires_at | date: 'medium' : undefined : lang()) } }}
        </p>
        @if (p.tracks.length) {
          <div><button type="button" class="btn primary" (click)="playAll()"><tt-icon name="play" />{{ 'playlist.playAll' | transloco }}</button></div>
          <ol class="tracks" data-testid="shared-playlist-tracks">
            @for (item of p.tracks; track item.id; let i = $index) {
              <li class="card row">
                <span class="n" aria-hidden="true">{{ i + 1 }}</span>
                <div class="info">
                  <span class="title">{{ item.title }}</span>
                  <p class="prompt">{{ item.prompt_raw }}</p>
                </div>
                <tt-inline-player class="player" [track]="queueTracks()[i]" [tracks]="queueTracks()" [context]="context()" [bars]="48" />
                @if (item.download_url) {
                  <a class="btn small download" data-testid="shared-download" [href]="item.download_url" download [attr.aria-label]="'sharedPlaylist.downloadTrack' | transloco: { title: item.title }">{{ 'shared.download' | transloco }}</a>
                }
              </li>
            }
          </ol>
        } @else {
          <p class="muted">{{ 'sharedPlaylist.empty' | transloco }}</p>
        }
        <a routerLink="/" class="btn cta">{{ 'shared.makeYourOwn' | transloco }}</a>
      </article>
    } @else {
      <tt-share-unavailable [missing]="missing()" />
    }
  `,
  styles: `
    .shared { display: grid; gap: 1rem; max-width: 52rem; margin: 0 auto; }
    .shared h1 { margin: 0; overflow-wrap: anywhere; }
    .shared > p { margin: 0; }
    .eyebrow { text-transform: uppercase; letter-spacing: 0.08em; font-weight: 700; font-size: 0.8rem; color: var(--accent-strong); }
    .tracks { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.5rem; }
    .row { display: grid; grid-template-columns: 2ch minmax(0, 2fr) minmax(10rem, 3fr); gap: 0.75rem; align-items: center; padding: 0.75rem 1rem; }
    .row:has(.download) { grid-template-columns: 2ch minmax(0, 2fr) minmax(10rem, 3fr) auto; }
    .n { color: var(--muted); font-variant-numeric: tabular-nums; text-align: right; }
    .info { min-width: 0; }
    .title { font-weight: 700; overflow-wrap: anywhere; }
    .prompt { margin: 0.1rem 0 0; color: var(--muted); font-size: 0.875rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .cta { justify-self: start; }
    @media (max-width: 640px) {
      .row, .row:has(.download) { grid-template-columns: 2ch minmax(0, 1fr); }
      .player { grid-column: 1 / -1; }
      .download { grid-column: 2; justify-self: start; }
    }
  `,
})
export class SharedPlaylistPage {
  private readonly api = inject(Api);
  private readonly player = inject(Player);
  readonly token = input.required<string>();
  protected readonly playlist = signal<SharedPlaylistResponse | null>(null);
  protected readonly missing = signal(false);
  protected readonly queueTracks = computed(() => this.playlist()?.tracks.map(fromSharedTrack) ?? []);
  protected readonly total = computed(() => this.queueTracks().reduce((sum, t) => sum + t.duration, 0));
  protected readonly context = computed<PlayContext>(() => ({ kind: 'shared', key: this.token(), label: this.playlist()?.title ?? '', link: `/p/${encodeURIComponent(this.token())}` }));
  /** the locale of dates */
  protected readonly lang = inject(LanguageService).current;
  protected readonly clock = formatClock;

  constructor() {
    effect(() => {
      const token = this.token();
      untracked(() => {
        this.playlist.set(null);
        this.missing.set(false);
        this.api.sharedPlaylist(token).then(
          (playlist) => this.playlist.set(playlist),
          () => this.missing.set(true),
        );
      });
    });
  }

  protected playAll(): void {
    this.player.playContext(this.context(), this.queueTracks());
  }
}
