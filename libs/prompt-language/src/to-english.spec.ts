import { TranslationQuotaError, TranslationTimeoutError } from './providers/errors';
import type { Translator } from './providers/types';
import { toEnglishPrompt } from './to-english';

const stub = (impl: (text: string, from: string, to: string) => Promise<string>): Translator & { calls: [string, string, string][] } => {
  const calls: [string, string, string][] = [];
  return {
    provider: 'libretranslate',
    timeoutMs: 1000,
    calls,
    translate: (text, from, to) => {
      calls.push([text, from, to]);
      return impl(text, from, to);
    },
  };
};

describe('toEnglishPrompt', () => {
  it('keeps English prompts unchanged and never calls the provider', async () => {
    const translator = stub(async () => 'x');
    await expect(toEnglishPrompt('  calm jazz piano,\n rainy day ', { translator })).resolves.toEqual({
      english: 'calm jazz piano, rainy day',
      original: '  calm jazz piano,\n rainy day ',
      language: 'en',
      method: 'unchanged',
      unknown: [],
    });
    expect(translator.calls).toEqual([]);
  });

  it('uses the glossary without a provider', async () => {
    await expect(toEnglishPrompt('비 오는 날 듣기 좋은 잔잔한 재즈 피아노')).resolves.toEqual({
      english: 'calm jazz piano, rainy day',
      original: '비 오는 날 듣기 좋은 잔잔한 재즈 피아노',
      language: 'ko',
      method: 'glossary',
      unknown: [],
    });
    const result = await toEnglishPrompt('할머니집에서 듣던 트로트', { translator: null });
    expect(result).toMatchObject({ english: 'trot', method: 'glossary', unknown: ['할머니집에서'] });
  });

  it('uses the provider for Korean when configured', async () => {
    const translator = stub(async () => 'Calm jazz piano for a rainy day');
    await expect(toEnglishPrompt('비 오는 날 듣기 좋은 잔잔한 재즈 피아노', { translator })).resolves.toEqual({
      english: 'Calm jazz piano for a rainy day',
      original: '비 오는 날 듣기 좋은 잔잔한 재즈 피아노',
      language: 'ko',
      method: 'provider',
      unknown: [],
      provider: 'libretranslate',
    });
    expect(translator.calls).toEqual([['비 오는 날 듣기 좋은 잔잔한 재즈 피아노', 'ko', 'en']]);
  });

  it('falls back to the glossary when the provider fails, and says why', async () => {
    const translator = stub(async () => {
      throw new TranslationQuotaError('libretranslate', 429, 'libretranslate answered 429: Slowdown: 30 per 1 minute');
    });
    await expect(toEnglishPrompt('신나는 80년대 신스팝, 120 bpm', { translator })).resolves.toEqual({
      english: 'upbeat 80s synth-pop, 120 bpm',
      original: '신나는 80년대 신스팝, 120 bpm',
      language: 'ko',
      method: 'glossary-fallback',
      unknown: [],
      provider: 'libretranslate',
      providerError: 'quota: libretranslate answered 429: Slowdown: 30 per 1 minute',
    });
    const timedOut = stub(async () => {
      throw new TranslationTimeoutError('libretranslate', 1000);
    });
    expect(await toEnglishPrompt('잔잔한 피아노', { translator: timedOut })).toMatchObject({ method: 'glossary-fallback', providerError: 'timeout: libretranslate did not answer within 1000 ms' });
  });

  it('never throws, whatever the translator does', async () => {
    const translator = stub(() => Promise.reject(new RangeError('boom')));
    expect(await toEnglishPrompt('잔잔한 피아노', { translator })).toMatchObject({ english: 'calm piano', method: 'glossary-fallback', providerError: 'error: boom' });
    const throwsSync = { provider: 'google' as const, timeoutMs: 1, translate: (): Promise<string> => { throw new Error('sync'); } };
    expect(await toEnglishPrompt('잔잔한 피아노', { translator: throwsSync })).toMatchObject({ method: 'glossary-fallback', providerError: 'error: sync' });
  });

  it('treats Korean coming back from the provider as a failure', async () => {
    const translator = stub(async (text) => text);
    expect(await toEnglishPrompt('잔잔한 피아노', { translator })).toMatchObject({
      english: 'calm piano',
      method: 'glossary-fallback',
      providerError: 'untranslated: libretranslate returned Korean text',
    });
  });

  it('sends the original when the glossary understands nothing', async () => {
    expect(await toEnglishPrompt('안녕하세요')).toEqual({ english: '안녕하세요', original: '안녕하세요', language: 'ko', method: 'glossary', unknown: ['안녕하세요'] });
  });

  it('other languages: provider with source "auto", else unchanged', async () => {
    const translator = stub(async () => 'Quiet jazz piano on a rainy day');
    expect(await toEnglishPrompt('雨の日に聴く静かなジャズピアノ', { translator })).toMatchObject({ english: 'Quiet jazz piano on a rainy day', language: 'other', method: 'provider' });
    expect(translator.calls[0]).toEqual(['雨の日に聴く静かなジャズピアノ', 'auto', 'en']);
    expect(await toEnglishPrompt('雨の日に聴く静かなジャズピアノ')).toMatchObject({ english: '雨の日に聴く静かなジャズピアノ', language: 'other', method: 'unchanged' });
    const failing = stub(() => Promise.reject(new TranslationTimeoutError('libretranslate', 5)));
    expect(await toEnglishPrompt('雨の日', { translator: failing })).toMatchObject({ english: '雨の日', method: 'unchanged', providerError: 'timeout: libretranslate did not answer within 5 ms' });
  });
});
