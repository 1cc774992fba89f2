/** The documented request/response shapes, spoken over plain fetch. */
import { startFakeTranslate, type FakeTranslate } from './server';
import { settingsFromEnv } from './settings';

let fake: FakeTranslate;
beforeAll(async () => {
  fake = await startFakeTranslate({ port: 0 });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const post = async (path: string, body: unknown, type = 'application/json'): Promise<{ status: number; body: unknown; text: string }> => {
  const res = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: res.status, body: parsed, text };
};

describe('LibreTranslate /translate', () => {
  it('translates JSON and form requests and logs them', async () => {
    expect(await post('/translate', { q: '비 오는 날 듣기 좋은 잔잔한 재즈 피아노', source: 'ko', target: 'en', format: 'text' })).toMatchObject({
      status: 200,
      body: { translatedText: "Calm jazz piano that's nice to listen to on a rainy day" },
    });
    expect(await post('/translate', 'q=%EC%9E%AC%EC%A6%88&source=ko&target=en', 'application/x-www-form-urlencoded')).toMatchObject({
      status: 200,
      body: { translatedText: 'en translation of 2 ko characters' },
    });
    const [json, form] = fake.requests('libretranslate');
    expect(json.body).toEqual({ q: '비 오는 날 듣기 좋은 잔잔한 재즈 피아노', source: 'ko', target: 'en', format: 'text' });
    expect(form.body).toEqual({ q: '재즈', source: 'ko', target: 'en' });
    expect(json.status).toBe(200);
  });

  it('answers arrays, auto detection and canned translations', async () => {
    fake.configure({ translations: { '잔잔한 피아노': 'Calm piano' } });
    expect((await post('/translate', { q: ['잔잔한 피아노', '재즈'], source: 'auto', target: 'en' })).body).toEqual({
      translatedText: ['Calm piano', 'en translation of 2 ko characters'],
      detectedLanguage: [
        { confidence: 90, language: 'ko' },
        { confidence: 90, language: 'ko' },
      ],
    });
  });

  it('rejects bad requests as LibreTranslate does', async () => {
    expect(await post('/translate', { source: 'ko', target: 'en' })).toMatchObject({ status: 400, body: { error: 'Invalid request: missing q parameter' } });
    expect(await post('/translate', { q: 'x', target: 'en' })).toMatchObject({ status: 400, body: { error: 'Invalid request: missing source parameter' } });
    expect(await post('/translate', { q: 'x', source: 'ko', target: 'xx' })).toMatchObject({ status: 400, body: { error: 'xx is not supported' } });
    expect(await post('/translate', { q: 'x', source: 'ko', target: 'en', format: 'pdf' })).toMatchObject({ status: 400, body: { error: 'pdf format is not supported' } });
    expect(await post('/translate', '[1,2]')).toMatchObject({ status: 400, body: { error: 'Invalid JSON format' } });
  });

  it('checks api_key when one is configured', async () => {
    fake.configure({ apiKey: 'lt-key' });
    expect(await post('/translate', { q: 'x', source: 'ko', target: 'en' })).toMatchObject({ status: 400, body: { error: 'Please contact the server operator to get an API key' } });
    expect(await post('/translate', { q: 'x', source: 'ko', target: 'en', api_key: 'wrong' })).toMatchObject({ status: 403, body: { error: 'Invalid API key' } });
    expect((await post('/translate', { q: 'x', source: 'ko', target: 'en', api_key: 'lt-key' })).status).toBe(200);
  });

  it('lists languages', async () => {
    const res = await fetch(`${fake.url}/languages`);
    const languages = (await res.json()) as { code: string; targets: string[] }[];
    expect(languages.find((l) => l.code === 'ko')?.targets).toContain('en');
  });
});

describe('Google v2 /language/translate/v2', () => {
  it('translates with ?key=, escapes HTML for format html and reports the detected source', async () => {
    const ok = await post('/language/translate/v2?key=k', { q: '비 오는 날 듣기 좋은 잔잔한 재즈 피아노', target: 'en' });
    expect(ok).toMatchObject({ status: 200, body: { data: { translations: [{ translatedText: 'Calm jazz piano that&#39;s nice to listen to on a rainy day', detectedSourceLanguage: 'ko' }] } } });
    const text = await post('/language/translate/v2?key=k', { q: ['비 오는 날 듣기 좋은 잔잔한 재즈 피아노'], source: 'ko', target: 'en', format: 'text' });
    expect(text.body).toEqual({ data: { translations: [{ translatedText: "Calm jazz piano that's nice to listen to on a rainy day" }] } });
    fake.configure({ escapeEntities: true });
    const escaped = await post('/language/translate/v2?key=k', { q: '비 오는 날 듣기 좋은 잔잔한 재즈 피아노', source: 'ko', target: 'en', format: 'text' });
    expect(escaped.text).toContain('that&#39;s');
    expect(fake.requests('google')[0].query).toEqual({ key: 'k' });
  });

  it('answers key problems with Google error bodies', async () => {
    expect(await post('/language/translate/v2', { q: 'x', target: 'en' })).toMatchObject({
      status: 403,
      body: { error: { code: 403, message: 'The request is missing a valid API key.', status: 'PERMISSION_DENIED' } },
    });
    fake.configure({ apiKey: 'right' });
    expect(await post('/language/translate/v2?key=wrong', { q: 'x', target: 'en' })).toMatchObject({
      status: 400,
      body: { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } },
    });
    expect(await post('/language/translate/v2?key=right', { target: 'en' })).toMatchObject({ status: 400, body: { error: { message: 'Required Text' } } });
  });

  it('accepts GET with query parameters', async () => {
    const res = await fetch(`${fake.url}/language/translate/v2?key=k&q=%EC%9E%AC%EC%A6%88&target=en&source=ko&format=text`);
    expect(await res.json()).toEqual({ data: { translations: [{ translatedText: 'en translation of 2 ko characters' }] } });
  });
});

describe('failure modes', () => {
  it.each([
    ['quota', '/translate', 429, '{"error":"Slowdown: 30 per 1 minute"}'],
    ['quota', '/language/translate/v2?key=k', 403, 'dailyLimitExceeded'],
    ['rate-limit', '/translate', 403, 'Too many request limits violations'],
    ['rate-limit', '/language/translate/v2?key=k', 429, 'RESOURCE_EXHAUSTED'],
    ['auth', '/translate', 403, 'Invalid API key'],
    ['error', '/translate', 500, 'Cannot translate text'],
    ['error', '/language/translate/v2?key=k', 500, 'backendError'],
    ['unavailable', '/translate', 503, '503 Service Temporarily Unavailable'],
    ['malformed-json', '/translate', 200, '{"translatedText": "calm ja'],
    ['wrong-shape', '/language/translate/v2?key=k', 200, '{"data":{"translations":[]}}'],
    ['empty', '/translate', 200, '{"translatedText":""}'],
    ['untranslated', '/translate', 200, '{"translatedText":"재즈"}'],
    ['html-page', '/translate', 200, 'Please sign in'],
  ] as const)('%s on %s → %i', async (fail, path, status, contains) => {
    fake.configure({ fail });
    const res = await post(path, { q: '재즈', source: 'ko', target: 'en' });
    expect(res.status).toBe(status);
    expect(res.text).toContain(contains);
  });

  it('slow holds the answer; drop closes the connection', async () => {
    fake.configure({ fail: 'slow', slowMs: 150 });
    const started = Date.now();
    expect((await post('/translate', { q: '재즈', source: 'ko', target: 'en' })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    fake.configure({ fail: 'drop' });
    await expect(post('/translate', { q: '재즈', source: 'ko', target: 'en' })).rejects.toThrow(/fetch failed/);
  });
});

describe('control routes and settings', () => {
  it('configures, lists and resets over HTTP', async () => {
    expect(await post('/__fake/config', { fail: 'quota', delayMs: 1 })).toMatchObject({ status: 200, body: { fail: 'quota', delayMs: 1 } });
    expect(await post('/__fake/config', { fail: 'nope' })).toMatchObject({ status: 400, body: { error: 'unknown failure mode "nope"' } });
    expect(await post('/__fake/config', { colour: 'red' })).toMatchObject({ status: 400 });
    await post('/translate', { q: 'x', source: 'ko', target: 'en' });
    const listed = (await (await fetch(`${fake.url}/__fake/requests?api=libretranslate`)).json()) as { requests: { status: number }[] };
    expect(listed.requests.map((r) => r.status)).toEqual([429]);
    expect(await post('/__fake/reset', {})).toMatchObject({ status: 200 });
    expect(await (await fetch(`${fake.url}/__fake/health`)).json()).toEqual({ ok: true, fail: 'none' });
    expect(fake.requests()).toEqual([]);
  });

  it('reads FAKE_TRANSLATE_* from the environment', () => {
    expect(settingsFromEnv({ FAKE_TRANSLATE_FAIL: 'slow', FAKE_TRANSLATE_API_KEY: 'k', FAKE_TRANSLATE_SLOW_MS: '500', FAKE_TRANSLATE_ESCAPE_ENTITIES: 'yes' })).toEqual({
      fail: 'slow',
      apiKey: 'k',
      slowMs: 500,
      escapeEntities: true,
    });
    expect(() => settingsFromEnv({ FAKE_TRANSLATE_FAIL: 'boom' })).toThrow(/FAKE_TRANSLATE/);
  });
});
