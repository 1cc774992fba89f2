import { TestBed } from '@angular/core/testing';
import { TranslocoService } from '@jsverse/transloco';
import { translocoTesting } from '../../testing';
import { LANGUAGE_STORAGE_KEY, LanguageService, detectLanguage } from './language';

describe('interface language', () => {
  it('prefers the remembered choice, then the browser, then English', () => {
    expect(detectLanguage('ko', ['en-US'])).toBe('ko');
    expect(detectLanguage(null, ['ko-KR', 'en'])).toBe('ko');
    expect(detectLanguage(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(detectLanguage('xx', ['de'])).toBe('en');
  });

  it('switches, remembers the choice and sets <html lang>', async () => {
    localStorage.removeItem(LANGUAGE_STORAGE_KEY);
    TestBed.configureTestingModule({ imports: [translocoTesting] });
    const service = TestBed.inject(LanguageService);
    await service.use('ko');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('ko');
    expect(document.documentElement.lang).toBe('ko');
    expect(TestBed.inject(TranslocoService).translate('nav.create')).toBe('만들기');
    await service.use('en');
    expect(TestBed.inject(TranslocoService).translate('nav.create')).toBe('Create');
  });
});
