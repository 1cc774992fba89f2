import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink, TitleStrategy } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { AUDIO_FORMATS, PART_FORMATS, TRACK_TITLE_MAX_LENGTH, type DownloadFormat, type TrackRendition, type TrackResponse } from '@texttune/contracts';
import { Api } from '../../core/api';
import { describePlan, planFrom } from '../../core/interpretation';
import { LanguageService } from '../../core/language';
import { ErrorText } from '../../core/error-text';
import { toErrorResponse } from '../../core/errors';
import { formatBytes, formatClock, withFormat } from '../../core/format';
import { Notifications } from '../../core/notifications';
import { Player, fromLibraryItem, type PlayContext } from '../../core/player';
import type { TranslatedTitleStrategy } from '../../core/title';
import { AddToPlaylistDialog } from '../../ui/add-to-playlist';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Icon } from '../../ui/icon';
import { InlinePlayer } from '../../ui/inline-player';
import { ShareLinks } from '../../ui/share-links';
import { WaveformPlayer } from '../../ui/waveform-player';

/**
 * Download links for each audio format (the server's renditions, or the download URL
 * with `?format=`), then the MIDI and stems when the server offers them (offline tracks).
 */
export function downloadLinks(track: Pick<TrackResponse, 'renditions' | 'download_url'>): { format: DownloadFormat; url: string; size: number | null }[] {
  const parts = PART_FORMATS.filter((format) => track.renditions?.some((r) => r.format === format));
  return [...AUDIO_FORMATS, ...parts].map((format) => {
    const rendition: TrackRendition | undefined = track.renditions?.find((r) => r.format === format);
    return { format, url: rendition?.download_url ?? withFormat(track.download_url, format), size: rendition?.size ?? null };
  });
}

/** The recorded parameters worth showing, in a stable order. */
export function parameterRows(track: TrackResponse): { key: string; value: string }[] {
  const p = track.params ?? {};
  const rows: { key: string; value: string }[] = [];
  const add = (key: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') rows.push({ key, value: String(value) });
  };
  add('seed', p.seed);
  add('duration', `${Math.round(track.duration * 10) / 10} s`);
  add('quality', p.quality);
  add('samplerate', `${track.samplerate} Hz`);
  add('channels', track.channels);
  add('format', track.format.toUpperCase());
  add('engine', track.engine);
  add('variations', p.variations);
  add('take', track.take_index + 1);
  const sampling = (p.sampling ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(sampling)) add(`sampling.${name}`, value);
  return rows;
}

export const PROMPT_TRANSLATION_METHODS = ['glossary', 'provider', 'glossary-fallback'] as const;

/** The English prompt an English-only engine received (`engine_meta.prompt_language`). */
export interface PromptLanguage {
  original: string;
  english: string;
  language: string;
  method: (typeof PROMPT_TRANSLATION_METHODS)[number];
  unknown_words: string[];
  provider?: string;
  provider_error?: string;
}

/** The track's English prompt, when its prompt was translated for the engine. */
export function promptLanguage(track: Pick<TrackResponse, 'engine_meta'>): PromptLanguage | null {
  const value = track.engine_meta?.['prompt_language'] as Partial<PromptLanguage> | undefined;
  if (!value || typeof value.english !== 'string' || !value.english.trim()) return null;
  const method = (PROMPT_TRANSLATION_METHODS as readonly unknown[]).includes(value.method) ? value.method! : 'glossary';
  return {
    original: String(value.original ?? ''),
    english: value.english,
    language: String(value.language ?? ''),
    method,
    unknown_words: Array.isArray(value.unknown_words) ? value.unknown_words.map(String) : [],
    ...(value.provider ? { provider: String(value.provider) } : {}),
    ...(value.provider_error ? { provider_error: String(value.provider_error) } : {}),
  };
}

/** The interpreted prompt without the "English: … (…)" note the server appends (shown in its own row). */
export function withoutEnglishNote(expanded: string | null, english: PromptLanguage | null): string | null {
  if (!expanded || !english) return expanded;
  const note = `English: ${english.english} (`;
  if (expanded.startsWith(note)) return null;
  const at = expanded.lastIndexOf(` · ${note}`);
  return at >= 0 ? expanded.slice(0, at) : expanded;
}

export { SHARE_CHOICES } from '../../core/share';

@Component({
  selector: 'tt-track',
  imports: [RouterLink, FormsModule, DatePipe, TranslocoPipe, Icon, WaveformPlayer, InlinePlayer, ConfirmDialog, AddToPlaylistDialog, ShareLinks],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './track.html',
  styleUrls: ['../detail-page.css', './track.css'],
})
export class TrackPage {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  private readonly errorText = inject(ErrorText);
  /** route parameter */
  readonly id = input.required<string>();

  protected readonly track = signal<TrackResponse | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly takes = signal<TrackResponse[]>([]);
  protected readonly renaming = signal(false);
  protected readonly titleDraft = signal('');
  protected readonly renameError = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly titleMax = TRACK_TITLE_MAX_LENGTH;
  protected readonly downloads = computed(() => (this.track() ? downloadLinks(this.track()!) : []));
  protected readonly params = computed(() => (this.track() ? parameterRows(this.track()!) : []));
  protected readonly english = computed(() => (this.track() ? promptLanguage(this.track()!) : null));
  /** The engine's interpretation: from its structured plan in the reader's language when it recorded one, else its own words. */
  protected readonly interpreted = computed(() => {
    const lang = this.lang();
    const plan = planFrom(this.track()?.engine_meta);
    if (plan) return describePlan(plan, (key, params) => this.transloco.translate(key, params, lang));
    return withoutEnglishNote(this.track()?.prompt_expanded ?? null, this.english());
  });
  /** "Play" here queues this track with its other takes, in take order. */
  protected readonly queueTrack = computed(() => (this.track() ? fromLibraryItem(this.track()!) : null));
  protected readonly takeTracks = computed(() => this.takes().map(fromLibraryItem));
  protected readonly contextTracks = computed(() => (this.takeTracks().length > 1 ? this.takeTracks() : this.queueTrack() ? [this.queueTrack()!] : []));
  protected readonly playContext = computed<PlayContext>(() => {
    const t = this.track();
    return { kind: 'track', key: t?.id ?? '', label: t?.title ?? '', link: t ? `/tracks/${t.id}` : null };
  });
  /** the locale of dates */
  protected readonly lang = inject(LanguageService).current;
  protected readonly clock = formatClock;
  protected readonly bytes = formatBytes;
  private readonly confirmDelete = viewChild.required<ConfirmDialog>('confirmDelete');
  private readonly addToPlaylistDialog = viewChild.required<AddToPlaylistDialog>('playlistPicker');
  private readonly player = inject(Player);
  private readonly pageTitle = inject(TitleStrategy) as TranslatedTitleStrategy;
  /** The "More" menu of the less frequent actions. */
  protected readonly moreOpen = signal(false);

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.load(id));
    });
    // The browser tab and history name the track.
    effect(() => {
      const title = this.track()?.title ?? null;
      untracked(() => this.pageTitle.name?.(title));
    });
  }

  /** Focus leaving the menu (Tab past its last item, a click elsewhere) closes it. */
  protected onMoreFocusOut(event: FocusEvent): void {
    const menu = event.currentTarget as HTMLElement;
    if (!menu.contains(event.relatedTarget as Node | null)) this.moreOpen.set(false);
  }

  protected closeMore(focusToggle: boolean): void {
    if (!this.moreOpen()) return;
    this.moreOpen.set(false);
    if (focusToggle) document.getElementById('more-actions')?.focus();
  }

  protected startRename(): void {
    this.titleDraft.set(this.track()?.title ?? '');
    this.renameError.set(null);
    this.renaming.set(true);
    setTimeout(() => document.getElementById('title-input')?.focus());
  }

  protected cancelRename(): void {
    this.renaming.set(false);
    setTimeout(() => document.getElementById('rename-button')?.focus());
  }

  protected async saveTitle(): Promise<void> {
    const track = this.track();
    const title = this.titleDraft().trim();
    if (!track) return;
    if (!title) {
      this.renameError.set(this.transloco.translate('track.titleRequired'));
      return;
    }
    this.busy.set('rename');
    try {
      const updated = await this.api.renameTrack(track.id, { title });
      this.track.set({ ...track, ...updated });
      this.takes.update((list) => list.map((take) => (take.id === updated.id ? { ...take, title: updated.title } : take)));
      this.player.renamed(updated.id, updated.title);
      this.renaming.set(false);
      this.notifications.info(this.transloco.translate('track.renamed'));
      setTimeout(() => document.getElementById('rename-button')?.focus());
    } catch (error) {
      this.renameError.set(this.errorText.describe(toErrorResponse(error)));
    } finally {
      this.busy.set(null);
    }
  }

  protected addToPlaylist(): void {
    const track = this.track();
    if (track) this.addToPlaylistDialog().open(track);
  }

  protected async regenerate(seed: 'same' | 'new'): Promise<void> {
    const track = this.track();
    if (!track) return;
    this.busy.set(`regenerate-${seed}`);
    try {
      const job = await this.api.regenerate(track.id, { seed });
      await this.router.navigate(['/create'], { queryParams: { job: job.job_id } });
    } catch {
      // the interceptor showed the server's sentence
    } finally {
      this.busy.set(null);
    }
  }

  protected async remove(): Promise<void> {
    const track = this.track();
    if (!track || !(await this.confirmDelete().ask())) return;
    this.busy.set('delete');
    try {
      await this.api.deleteTrack(track.id);
      this.player.forget(track.id);
      this.notifications.info(this.transloco.translate('track.deleted', { title: track.title }));
      await this.router.navigateByUrl('/library');
    } catch {
      // shown by the interceptor
    } finally {
      this.busy.set(null);
    }
  }

  private async load(id: string): Promise<void> {
    this.loadError.set(null);
    this.renaming.set(false);
    try {
      const track = await this.api.track(id);
      if (id !== this.id()) return;
      this.track.set(track);
      void this.loadTakes(track);
    } catch (error) {
      this.track.set(null);
      this.loadError.set(this.errorText.describe(toErrorResponse(error)));
    }
  }

  /** The other takes of the same job, for the side-by-side view. */
  private async loadTakes(track: TrackResponse): Promise<void> {
    const ids = track.sibling_ids ?? [];
    if (ids.length < 2) {
      this.takes.set([]);
      return;
    }
    const takes = await Promise.all(ids.map((sid) => (sid === track.id ? Promise.resolve(track) : this.api.track(sid).catch(() => null))));
    if (track.id === this.id()) this.takes.set(takes.filter((t): t is TrackResponse => t !== null));
  }
}
