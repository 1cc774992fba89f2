import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, input, model, signal, untracked } from '@angular/core';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { SHARE_DEFAULT_HOURS, type PlaylistShareResponse, type ShareResponse } from '@texttune/contracts';
import { Api } from '../core/api';
import { LanguageService } from '../core/language';
import { Notifications } from '../core/notifications';
import { SHARE_CHOICES, copyText, sharePageUrl } from '../core/share';
import { Icon } from './icon';

type Share = ShareResponse | PlaylistShareResponse;

/**
 * The "Share" card of a track or a playlist: lists its links, creates one (and copies it),
 * copies and revokes. `busy` is the page's: `'share'` and `'revoke-<id>'` while working.
 */
@Component({
  selector: 'tt-share-links',
  imports: [DatePipe, TranslocoPipe, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="share-title">
      <h2 id="share-title">{{ 'track.share' | transloco }}</h2>
      <p class="muted">{{ lead() | transloco }}</p>
      <div class="share-create">
        <label for="share-hours" class="visually-hidden">{{ 'track.expiresIn' | transloco }}</label>
        <select id="share-hours" [value]="shareHours()" (change)="shareHours.set(+$any($event.target).value)">
          @for (h of shareChoices; track h) {
            <option [value]="h" [selected]="h === shareHours()">{{ 'track.expiry.' + h | transloco }}</option>
          }
        </select>
        <label class="allow-download">
          <input type="checkbox" data-testid="share-allow-download" [checked]="allowDownload()" (change)="allowDownload.set($any($event.target).checked)" />
          {{ 'track.allowDownload' | transloco }}
        </label>
        <button type="button" class="btn primary" (click)="createShare()" [disabled]="busy() === 'share'"><tt-icon name="share" />{{ 'track.createLink' | transloco }}</button>
      </div>
      @if (shares().length) {
        <ul class="shares">
          @for (share of shares(); track share.id) {
            <li>
              <label [for]="'share-' + share.id" class="visually-hidden">{{ 'track.shareLink' | transloco }}</label>
              <input [id]="'share-' + share.id" type="text" readonly [value]="shareLink(share)" (focus)="$any($event.target).select()" />
              <div class="share-row">
                <span class="muted small">{{ 'track.expires' | transloco: { date: (share.expires_at | date: 'medium' : undefined : lang()) } }}@if (allowsDownload(share)) { · {{ 'track.downloadAllowed' | transloco }}}</span>
                <span class="share-buttons">
                  <button type="button" class="btn small" (click)="copy(share)"><tt-icon name="copy" />{{ (copiedId() === share.id ? 'track.copiedShort' : 'track.copy') | transloco }}</button>
                  <button type="button" class="btn small danger-outline" (click)="revoke(share)" [disabled]="busy() === 'revoke-' + share.id">{{ 'track.revoke' | transloco }}</button>
                </span>
              </div>
            </li>
          }
        </ul>
      } @else {
        <p class="muted small">{{ 'track.noShares' | transloco }}</p>
      }
    </section>
  `,
  styles: `
    :host { display: block; }
    .small { font-size: 0.85rem; }
    .share-create { display: flex; gap: 0.5rem; flex-wrap: wrap; }
    .share-create select { flex: 1 1 8rem; width: auto; }
    .allow-download { display: inline-flex; align-items: center; gap: 0.4rem; flex: 1 1 100%; order: 1; }
    .shares { list-style: none; padding: 0; margin: 1rem 0 0; display: grid; gap: 0.9rem; }
    .shares input { font-size: 0.85rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
    .share-row { display: flex; justify-content: space-between; align-items: center; gap: 0.5rem; flex-wrap: wrap; margin-top: 0.4rem; }
    .share-buttons { display: flex; gap: 0.4rem; }
  `,
})
export class ShareLinks {
  private readonly api = inject(Api);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  /** what is shared: a track (`/s/…`) or a playlist (`/p/…`) */
  readonly kind = input.required<'track' | 'playlist'>();
  /** the track's or the playlist's id */
  readonly targetId = input.required<string>();
  /** the translation key of the lead sentence */
  readonly lead = input.required<string>();
  /** the page's busy marker, shared with its other actions */
  readonly busy = model<string | null>(null);

  protected readonly shares = signal<Share[]>([]);
  protected readonly shareHours = signal<number>(SHARE_DEFAULT_HOURS);
  protected readonly copiedId = signal<string | null>(null);
  /** a track's new link offers the audio as a download */
  protected readonly allowDownload = signal(false);
  protected readonly shareChoices = SHARE_CHOICES;
  /** the locale of dates */
  protected readonly lang = inject(LanguageService).current;

  constructor() {
    effect(() => {
      const kind = this.kind();
      const id = this.targetId();
      untracked(() => {
        const list = kind === 'track' ? this.api.shares(id) : this.api.playlistShares(id);
        list.then(
          (result) => id === this.targetId() && this.shares.set(result.items),
          () => this.shares.set([]),
        );
      });
    });
  }

  protected allowsDownload(share: Share): boolean {
    return share.allow_download;
  }

  protected shareLink(share: Share): string {
    return sharePageUrl(this.kind(), share.url);
  }

  protected async createShare(): Promise<void> {
    const id = this.targetId();
    const body = { expiresInHours: this.shareHours(), allowDownload: this.allowDownload() };
    this.busy.set('share');
    try {
      const share = this.kind() === 'track' ? await this.api.createShare(id, body) : await this.api.sharePlaylist(id, body);
      this.shares.update((list) => [share, ...list.filter((s) => s.id !== share.id)]);
      await this.copy(share);
    } catch {
      // shown by the interceptor
    } finally {
      this.busy.set(null);
    }
  }

  protected async copy(share: Share): Promise<void> {
    if (await copyText(this.shareLink(share))) {
      this.copiedId.set(share.id);
      this.notifications.info(this.transloco.translate('track.copied'));
      setTimeout(() => this.copiedId() === share.id && this.copiedId.set(null), 3000);
    } else {
      // no clipboard permission: select the text so it can be copied by hand
      const input = document.getElementById(`share-${share.id}`) as HTMLInputElement | null;
      input?.focus();
      input?.select();
    }
  }

  protected async revoke(share: Share): Promise<void> {
    const id = this.targetId();
    this.busy.set(`revoke-${share.id}`);
    try {
      await (this.kind() === 'track' ? this.api.revokeShare(id, share.id) : this.api.revokePlaylistShare(id, share.id));
      this.shares.update((list) => list.filter((s) => s.id !== share.id));
      this.notifications.info(this.transloco.translate('track.revoked'));
    } catch {
      // shown by the interceptor
    } finally {
      this.busy.set(null);
    }
  }
}
