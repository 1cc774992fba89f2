import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { inject, isDevMode, provideAppInitializer, provideBrowserGlobalErrorListeners, type ApplicationConfig } from '@angular/core';
import { provideRouter, TitleStrategy, withComponentInputBinding, withInMemoryScrolling } from '@angular/router';
import { provideTransloco } from '@jsverse/transloco';
import { routes } from './app.routes';
import { apiInterceptor } from './core/api.interceptor';
import { LANGUAGES, LanguageService } from './core/language';
import { TranslatedTitleStrategy } from './core/title';
import { DictionaryLoader } from './i18n/loader';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding(), withInMemoryScrolling({ scrollPositionRestoration: 'enabled', anchorScrolling: 'enabled' })),
    { provide: TitleStrategy, useClass: TranslatedTitleStrategy },
    provideHttpClient(withFetch(), withInterceptors([apiInterceptor])),
    provideTransloco({
      config: { availableLangs: [...LANGUAGES], defaultLang: 'en', fallbackLang: 'en', reRenderOnLangChange: true, prodMode: !isDevMode() },
      loader: DictionaryLoader,
    }),
    provideAppInitializer(() => inject(LanguageService).init()),
  ],
};
