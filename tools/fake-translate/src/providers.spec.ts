/** @texttune/prompt-language's providers over real HTTP against this fake. */
import { createTranslator, toEnglishPrompt, TranslationError, type TranslateProviderName, type Translator } from '@texttune/prompt-language';
import { startFakeTranslate, type FakeTranslate } from './server';
import type { FailureMode } from './settings';

const KOREAN = '비 오는 날 듣기 좋은 잔잔한 재즈 피아노';
const KEYS: Record<TranslateProviderName, string> = { libretranslate: 'lt-secret-key', google: 'AIzaFakeSecretKey' };

let fake: FakeTranslate;
beforeAll(async () => {
  fake = await startFakeTranslate({ port: 0 });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const translatorFor = (provider: TranslateProviderName, timeoutMs = 1000): Translator => createTranslator({ provider, url: fake.url, apiKey: KEYS[provider], timeoutMs });

async function errorOf(promise: Promise<unknown>): Promise<TranslationError> {
  const error = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(error instanceof TranslationError)) throw new Error(`expected a TranslationError, got ${String(error)}`);
  return error;
}

describe.each(['libretranslate', 'google'] as const)('%s', (provider) => {
  it('translates, sending the documented request', async () => {
    fake.configure({ apiKey: KEYS[provider] });
    await expect(translatorFor(provider).translate(KOREAN, 'ko', 'en')).resolves.toBe("Calm jazz piano that's nice to listen to on a rainy day");
    const [request] = fake.requests(provider);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    if (provider === 'libretranslate') {
      expect(request.path).toBe('/translate');
      expect(request.body).toEqual({ q: KOREAN, source: 'ko', target: 'en', format: 'text', api_key: KEYS.libretranslate });
    } else {
      expect(request.path).toBe('/language/translate/v2');
      expect(request.query).toEqual({ key: KEYS.google });
      expect(request.body).toEqual({ q: KOREAN, source: 'ko', target: 'en', format: 'text' });
    }
  });

  it.each<[FailureMode, string, number | undefined]>([
    ['quota', 'quota', provider === 'google' ? 403 : 429],
    ['rate-limit', 'quota', provider === 'google' ? 429 : 403],
    ['auth', 'auth', provider === 'google' ? 400 : 403],
    ['error', 'http', 500],
    ['unavailable', 'http', 503],
    ['malformed-json', 'malformed', 200],
    ['wrong-shape', 'malformed', 200],
    ['empty', 'malformed', 200],
    ['html-page', 'malformed', 200],
    ['drop', 'network', undefined],
  ])('fail=%s → %s error (status %s)', async (fail, kind, status) => {
    fake.configure({ fail });
    const error = await errorOf(translatorFor(provider).translate(KOREAN, 'ko', 'en'));
    expect({ kind: error.kind, status: error.status, provider: error.provider }).toEqual({ kind, status, provider });
    expect(error.message).not.toContain(KEYS[provider]);
  });

  it('rejects a wrong key as an auth error', async () => {
    fake.configure({ apiKey: 'another-key' });
    const error = await errorOf(translatorFor(provider).translate(KOREAN, 'ko', 'en'));
    expect(error.kind).toBe('auth');
    expect(error.message).not.toContain(KEYS[provider]);
  });

  it('times out on a slow server', async () => {
    fake.configure({ fail: 'slow', slowMs: 1500 });
    const started = Date.now();
    const error = await errorOf(translatorFor(provider, 150).translate(KOREAN, 'ko', 'en'));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(`${provider} did not answer within 150 ms`);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('toEnglishPrompt: the provider when it works, the glossary when it does not', async () => {
    const translator = translatorFor(provider, 200);
    expect(await toEnglishPrompt(KOREAN, { translator })).toEqual({
      english: "Calm jazz piano that's nice to listen to on a rainy day",
      original: KOREAN,
      language: 'ko',
      method: 'provider',
      unknown: [],
      provider,
    });
    fake.configure({ fail: 'quota' });
    const quota = await toEnglishPrompt(KOREAN, { translator });
    expect(quota).toMatchObject({ english: 'calm jazz piano, rainy day', method: 'glossary-fallback', unknown: [], provider });
    expect(quota.providerError).toMatch(/^quota: /);
    fake.configure({ fail: 'slow', slowMs: 1000 });
    expect(await toEnglishPrompt(KOREAN, { translator })).toMatchObject({ method: 'glossary-fallback', providerError: `timeout: ${provider} did not answer within 200 ms` });
    fake.configure({ fail: 'malformed-json' });
    expect(await toEnglishPrompt(KOREAN, { translator })).toMatchObject({ method: 'glossary-fallback', providerError: expect.stringMatching(/^malformed: /) });
    fake.configure({ fail: 'untranslated' });
    expect(await toEnglishPrompt(KOREAN, { translator })).toMatchObject({ method: 'glossary-fallback', providerError: `untranslated: ${provider} returned Korean text` });
    // English prompts never reach the provider
    fake.reset();
    expect(await toEnglishPrompt('calm jazz piano', { translator })).toMatchObject({ method: 'unchanged', english: 'calm jazz piano' });
    expect(fake.requests()).toEqual([]);
  });
});

it('a server that is gone is a network error, and the glossary still answers', async () => {
  const gone = await startFakeTranslate({ port: 0 });
  const url = gone.url;
  await gone.close();
  const translator = createTranslator({ provider: 'libretranslate', url, timeoutMs: 1000 });
  expect((await errorOf(translator.translate(KOREAN, 'ko', 'en'))).kind).toBe('network');
  expect(await toEnglishPrompt(KOREAN, { translator })).toMatchObject({ english: 'calm jazz piano, rainy day', method: 'glossary-fallback', providerError: expect.stringMatching(/^network: /) });
});
