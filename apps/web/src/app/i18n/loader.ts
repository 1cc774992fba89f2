import { registerLocaleData } from '@angular/common';
import { Injectable } from '@angular/core';
import type { Translation, TranslocoLoader } from '@jsverse/transloco';
import { from, type Observable } from 'rxjs';

/** Each language is its own lazily loaded chunk, built from typed dictionaries. */
const dictionaries: Record<string, () => Promise<Translation>> = {
  en: () => import('./en').then((m) => m.en),
  // Korean also brings Angular's Korean locale data, for dates and numbers.
  ko: () =>
    Promise.all([import('./ko'), import('@angular/common/locales/ko')]).then(([m, locale]) => {
      registerLocaleData(locale.default, 'ko');
      return m.ko;
    }),
};

@Injectable({ providedIn: 'root' })
export class DictionaryLoader implements TranslocoLoader {
  getTranslation(lang: string): Observable<Translation> {
    return from((dictionaries[lang] ?? dictionaries['en'])());
  }
}
