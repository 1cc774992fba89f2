import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { SharedTrackResponse } from '@texttune/contracts';
import { Api } from '../../core/api';
import { LanguageService } from '../../core/language';
import { formatClock } from '../../core/format';
import type { PlayContext, QueueTrack } from '../../core/player';
import { WaveformPlayer } from '../../ui/waveform-player';
import { ShareUnavailable } from '../../ui/share-unavailable';

/** A share link's public page: the track, its player, nothing else of the owner. */
@Component({
  selector: 'tt-shared',
  imports: [RouterLink, DatePipe, TranslocoPipe, WaveformPlayer, ShareUnavailable],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (track(); as t) {
      <article class="shared" aria-labelledby="shared-title">
        <p class="eyebrow">{{ 'shared.eyebrow' | transloco }}</p>
        <h1 id="shared-title">{{ t.title }}</h1>
        <p class="muted">{{ clock(t.duration) }} · {{ 'shared.until' | transloco: { date: (t.expires_at | date: 'medium' : undefined : lang()) } }}</p>
        <tt-waveform-player [track]="queueTrack()!" [tracks]="[queueTrack()!]" [context]="context()" [peaks]="t.peaks" />
        @if (t.download_url) {
          <a class="btn download" data-testid="shared-download" [href]="t.download_url" download>{{ 'shared.download' | transloco }}</a>
        }
        <section class="card">
          <h2>{{ 'track.prompt' | transloco }}</h2>
          <p>{{ t.prompt_raw }}</p>
          @if (t.prompt_expanded) {
            <p class="muted">{{ t.prompt_expanded }}</p>
          }
        </section>
        <a routerLink="/" class="btn primary">{{ 'shared.makeYourOwn' | transloco }}</a>
      </article>
    } @else {
      <tt-share-unavailable [missing]="missing()" />
    }
  `,
  styles: `
    .shared { display: grid; gap: 1.1rem; max-width: 48rem; margin: 0 auto; }
    .shared h1 { margin: 0; }
    .shared > p { margin: 0; }
    .eyebrow { text-transform: uppercase; letter-spacing: 0.08em; font-weight: 700; font-size: 0.8rem; color: var(--accent-strong); }
    .shared .btn { justify-self: start; }
  `,
})
export class SharedPage {
  private readonly api = inject(Api);
  readonly token = input.required<string>();
  protected readonly track = signal<SharedTrackResponse | null>(null);
  protected readonly missing = signal(false);
  /** the locale of dates */
  protected readonly lang = inject(LanguageService).current;
  protected readonly clock = formatClock;
  /** Plays in the global player, as itself. */
  protected readonly queueTrack = computed<QueueTrack | null>(() => {
    const t = this.track();
    return t ? { id: `shared:${this.token()}`, title: t.title, duration: t.duration, audio_url: t.audio_url, peaks_url: null, link: `/s/${encodeURIComponent(this.token())}`, loudness: t.loudness ?? null, ...(t.loop ? { loop: true } : {}) } : null;
  });
  protected readonly context = computed<PlayContext>(() => ({ kind: 'shared', key: this.token(), label: this.track()?.title ?? '', link: `/s/${encodeURIComponent(this.token())}` }));

  constructor() {
    effect(() => {
      const token = this.token();
      untracked(() => {
        this.track.set(null);
        this.missing.set(false);
        this.api.shared(token).then(
          (track) => this.track.set(track),
          () => this.missing.set(true),
        );
      });
    });
  }
}
