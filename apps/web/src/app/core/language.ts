import { DOCUMENT } from '@angular/common';
import { Injectable, inject, signal } from '@angular/core';
import { TranslocoService } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';

export const LANGUAGES = ['ko', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = { ko: '한국어', en: 'English' };
export const LANGUAGE_STORAGE_KEY = 'texttune.lang';

const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);

/** The remembered choice, else the browser's first language we speak, else English. */
export function detectLanguage(stored: string | null, browserLanguages: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function readStorage(): string | null {
  try {
    return globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** The interface language: chosen from the browser, switchable, remembered. */
@Injectable({ providedIn: 'root' })
export class LanguageService {
  private readonly transloco = inject(TranslocoService);
  private readonly document = inject(DOCUMENT);
  readonly current = signal<Language>(detectLanguage(readStorage(), globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? 'en']));

  /** Loads the current language before the first render (no flash of keys). */
  init(): Promise<unknown> {
    return this.apply(this.current());
  }

  async use(lang: Language): Promise<void> {
    try {
      globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, lang);
    } catch {
      // private mode: the choice lasts for this page only
    }
    await this.apply(lang);
    // After the dictionary (and locale data) arrived, so nothing renders in a half-loaded language.
    this.current.set(lang);
  }

  private async apply(lang: Language): Promise<void> {
    await firstValueFrom(this.transloco.load(lang));
    this.transloco.setActiveLang(lang);
    this.document.documentElement.lang = lang;
  }
}
