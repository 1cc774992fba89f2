/**
 * Request shapes and answer handling with an injected fetch. The same providers are
 * exercised over real HTTP against tools/fake-translate (tools/fake-translate/src/providers.spec.ts).
 */
import { decodeHtmlEntities } from './html';
import { TranslationError } from './errors';
import { createTranslator, validateTranslatorConfig } from './translator';
import type { TranslatorConfig } from './types';

interface Call {
  url: string;
  init: RequestInit;
  body: Record<string, unknown>;
}

function fakeFetch(answer: (call: Call) => Response | Promise<Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const impl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (typeof init.body !== 'string') throw new Error('the translator sends its request as JSON text');
    const call = { url: input instanceof Request ? input.url : String(input), init, body: JSON.parse(init.body) as Record<string, unknown> };
    calls.push(call);
    return answer(call);
  };
  return { fetch: impl, calls };
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function failure(config: TranslatorConfig, answer: Response): Promise<TranslationError> {
  const { fetch } = fakeFetch(() => answer);
  const error = await createTranslator({ ...config, fetch })
    .translate('잔잔한 피아노', 'ko', 'en')
    .then(
      () => null,
      (err: unknown) => err,
    );
  if (!(error instanceof TranslationError)) throw new Error(`expected a TranslationError, got ${String(error)}`);
  return error;
}

const LIBRE: TranslatorConfig = { provider: 'libretranslate', url: 'http://lt.local:5000/' };
const GOOGLE: TranslatorConfig = { provider: 'google', apiKey: 'AIzaSecretKey', url: 'http://google.local' };

describe('LibreTranslate requests', () => {
  it('POSTs {q, source, target, format, api_key} to <url>/translate and returns translatedText', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { translatedText: '  Calm   piano ' }));
    const translator = createTranslator({ ...LIBRE, apiKey: 'lt-key', fetch });
    await expect(translator.translate('잔잔한 피아노', 'ko', 'en')).resolves.toBe('Calm piano');
    expect(calls[0].url).toBe('http://lt.local:5000/translate');
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].body).toEqual({ q: '잔잔한 피아노', source: 'ko', target: 'en', format: 'text', api_key: 'lt-key' });
    expect(calls[0].init.signal).toBeInstanceOf(AbortSignal);
  });

  it('omits api_key without a key and keeps a URL that already ends in /translate', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { translatedText: ['Calm piano'] }));
    await createTranslator({ provider: 'libretranslate', url: 'https://example.org/lt/translate', fetch }).translate('x', 'auto', 'en');
    expect(calls[0].url).toBe('https://example.org/lt/translate');
    expect(calls[0].body).toEqual({ q: 'x', source: 'auto', target: 'en', format: 'text' });
  });
});

describe('Google v2 requests', () => {
  it('POSTs {q, source, target, format:"text"} with ?key= and decodes HTML entities', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { data: { translations: [{ translatedText: 'Rock &amp; roll that&#39;s &quot;calm&quot; &#x2014; &lt;3' }] } }));
    const translator = createTranslator({ ...GOOGLE, fetch });
    await expect(translator.translate('록앤롤', 'ko', 'en')).resolves.toBe('Rock & roll that\'s "calm" — <3');
    const url = new URL(calls[0].url);
    expect(`${url.origin}${url.pathname}`).toBe('http://google.local/language/translate/v2');
    expect(url.searchParams.get('key')).toBe('AIzaSecretKey');
    expect(calls[0].body).toEqual({ q: '록앤롤', source: 'ko', target: 'en', format: 'text' });
  });

  it('defaults to translation.googleapis.com and omits source for "auto"', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { data: { translations: [{ translatedText: 'x', detectedSourceLanguage: 'ja' }] } }));
    await createTranslator({ provider: 'google', apiKey: 'k', fetch }).translate('雨', 'auto', 'en');
    expect(calls[0].url).toBe('https://translation.googleapis.com/language/translate/v2?key=k');
    expect(calls[0].body).toEqual({ q: '雨', target: 'en', format: 'text' });
  });
});

describe('answers that are errors', () => {
  it.each<[string, TranslatorConfig, number, unknown, string]>([
    ['libre 429 slowdown', LIBRE, 429, { error: 'Slowdown: 30 per 1 minute' }, 'quota'],
    ['libre 403 ban', LIBRE, 403, { error: 'Too many request limits violations' }, 'quota'],
    ['libre 403 invalid key', LIBRE, 403, { error: 'Invalid API key' }, 'auth'],
    ['libre 400 key needed', LIBRE, 400, { error: 'Visit https://portal.libretranslate.com to get an API key' }, 'auth'],
    ['libre 400 bad request', LIBRE, 400, { error: 'ko is not supported' }, 'http'],
    ['libre 500', LIBRE, 500, { error: 'Cannot translate text: boom' }, 'http'],
    ['google 403 daily limit', GOOGLE, 403, { error: { code: 403, message: 'Daily Limit Exceeded', errors: [{ reason: 'dailyLimitExceeded', domain: 'usageLimits' }] } }, 'quota'],
    ['google 429 exhausted', GOOGLE, 429, { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } }, 'quota'],
    ['google 403 missing key', GOOGLE, 403, { error: { code: 403, message: 'The request is missing a valid API key.', status: 'PERMISSION_DENIED' } }, 'auth'],
    ['google 400 bad key', GOOGLE, 400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } }, 'auth'],
    ['google 400 other', GOOGLE, 400, { error: { code: 400, message: 'Invalid Value', errors: [{ reason: 'invalid' }] } }, 'http'],
    ['google 503 html', GOOGLE, 503, '<html>unavailable</html>', 'http'],
  ])('%s → %s', async (_name, config, status, body, kind) => {
    const answer = typeof body === 'string' ? new Response(body, { status, headers: { 'content-type': 'text/html' } }) : json(status, body);
    const error = await failure(config, answer);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.provider).toBe(config.provider);
  });

  it('quotes the provider message and never the key', async () => {
    const error = await failure(GOOGLE, json(400, { error: { message: 'bad key AIzaSecretKey', errors: [{ reason: 'keyInvalid' }] } }));
    expect(error.message).toBe('google answered 400: bad key *** (keyInvalid)');
  });

  it.each<[string, TranslatorConfig, Response]>([
    ['libre: not JSON', LIBRE, new Response('{"translatedText": "cal', { status: 200 })],
    ['libre: no translatedText', LIBRE, json(200, { result: 'x' })],
    ['libre: empty', LIBRE, json(200, { translatedText: '  ' })],
    ['google: no translations', GOOGLE, json(200, { data: { translations: [] } })],
    ['google: html page', GOOGLE, new Response('<html>sign in</html>', { status: 200 })],
  ])('%s → malformed', async (_name, config, answer) => {
    expect((await failure(config, answer)).kind).toBe('malformed');
  });
});

describe('transport failures', () => {
  it('times out with a TranslationTimeoutError', async () => {
    const hanging = ((_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as unknown as typeof fetch;
    const started = Date.now();
    const error = await createTranslator({ ...LIBRE, timeoutMs: 50, fetch: hanging })
      .translate('x', 'ko', 'en')
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TranslationError);
    expect((error as TranslationError).kind).toBe('timeout');
    expect((error as TranslationError).message).toBe('libretranslate did not answer within 50 ms');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reports a refused connection as a network error without the key', async () => {
    const refused = (() => Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9 key=AIzaSecretKey') }))) as unknown as typeof fetch;
    const error = (await createTranslator({ ...GOOGLE, fetch: refused })
      .translate('x', 'ko', 'en')
      .catch((err: unknown) => err)) as TranslationError;
    expect(error.kind).toBe('network');
    expect(error.message).toBe('google request failed: fetch failed: connect ECONNREFUSED 127.0.0.1:9 key=***');
  });
});

describe('configuration', () => {
  it('rejects incomplete configurations', () => {
    expect(() => validateTranslatorConfig({ provider: 'libretranslate' })).toThrow('libretranslate needs a url (TRANSLATE_URL)');
    expect(() => validateTranslatorConfig({ provider: 'google' })).toThrow('google needs an API key (TRANSLATE_API_KEY)');
    expect(() => validateTranslatorConfig({ provider: 'deepl' as 'google' })).toThrow(/unknown translation provider "deepl"/);
    expect(() => validateTranslatorConfig({ ...LIBRE, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(createTranslator(LIBRE).timeoutMs).toBe(5000);
  });
});

describe('decodeHtmlEntities', () => {
  it('decodes named and numeric entities and leaves unknown ones', () => {
    expect(decodeHtmlEntities('&lt;a&gt; &amp;amp; &#39;x&#39; &#x41; &nbsp;&hellip; &bogus; &#0; &')).toBe("<a> &amp; 'x' A  … &bogus; &#0; &");
  });
});
