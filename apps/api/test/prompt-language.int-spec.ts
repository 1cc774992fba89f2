/**
 * Korean prompts for English-only engines: the API with the Gradio engine (a fake Space)
 * and, where configured, a translation service (tools/fake-translate). What the Space
 * received is read back from the fake.
 */
import type { EngineDescription, GenerationResponse, TrackResponse } from '@texttune/contracts';
import { loadConfig } from '../src/config/app-config';
import { createEngines } from '../src/engines/create-engines';
import { FakeSpace, FakeTranslate } from './support/fake-tools';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const KOREAN = '비 오는 날 듣기 좋은 잔잔한 재즈 피아노';

describe('prompt language', () => {
  let space: FakeSpace;
  let translate: FakeTranslate;
  let db: TestDatabase;
  let t: TestApp | undefined;
  let auth: { Authorization: string };

  async function boot(env: Record<string, string> = {}): Promise<void> {
    await t?.close();
    const all = { HF_SPACE_ID: `${space.url}/`, MAX_DURATION_SECONDS: '30', JOB_MAX_ATTEMPTS: '1', ...env };
    t = await startTestApp(all, { db, engines: createEngines(loadConfig({ NODE_ENV: 'test', ...all })) });
    auth = await signIn(t);
  }

  async function generate(prompt: string, engine?: string): Promise<TrackResponse> {
    const job = (await t!.http().post('/v1/generations').set(auth).send({ prompt, duration: 2, engine }).expect(202)).body as GenerationResponse;
    const done = await waitForStatus(t!, auth, job.job_id, ['succeeded', 'failed'], 30_000);
    expect(done.error).toBeNull();
    return (await t!.http().get(`/v1/tracks/${done.track_ids[0]}`).set(auth).expect(200)).body as TrackResponse;
  }

  const promptTheSpaceGot = async () => (await space.jobs()).at(-1)?.inputsByLabel['Input Text'];

  const quiet: jest.SpyInstance[] = [];
  beforeAll(async () => {
    quiet.push(jest.spyOn(console, 'error').mockImplementation(() => undefined), jest.spyOn(console, 'warn').mockImplementation(() => undefined));
    [space, translate, db] = await Promise.all([FakeSpace.start(), FakeTranslate.start(), createTestDatabase()]);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([space?.stop(), translate?.stop(), db?.drop()]);
    quiet.forEach((spy) => spy.mockRestore());
  });
  beforeEach(async () => {
    await Promise.all([space.reset(), translate.reset()]);
  });

  describe('with the built-in glossary only', () => {
    beforeAll(() => boot());

    it('sends the Space an English prompt and keeps the original, the English and how it was made', async () => {
      const track = await generate(KOREAN);
      expect(await promptTheSpaceGot()).toBe('calm jazz piano, rainy day');
      expect(track.prompt_raw).toBe(KOREAN);
      expect(track.prompt_expanded).toContain('English: calm jazz piano, rainy day (music glossary)');
      expect(track.engine_meta.prompt_language).toEqual({ original: KOREAN, english: 'calm jazz piano, rainy day', language: 'ko', method: 'glossary', unknown_words: expect.any(Array) });
      expect(await translate.requests()).toEqual([]);
    });

    it('sends English prompts as they are', async () => {
      const track = await generate('upbeat synth-pop, 120 bpm');
      expect(await promptTheSpaceGot()).toBe('upbeat synth-pop, 120 bpm');
      expect(track.engine_meta.prompt_language).toBeUndefined();
    });

    it('says the Gradio engine needs English, and gives the offline engine Korean as written', async () => {
      const items = (await t!.http().get('/v1/engines').set(auth).expect(200)).body.items as EngineDescription[];
      expect(items.map((e) => [e.id, e.supports.needsEnglish, e.details.promptTranslation])).toEqual([
        ['gradio', true, 'glossary'],
        ['offline', false, undefined],
      ]);
      const track = await generate('잔잔한 피아노', 'offline');
      expect(track.engine).toBe('offline');
      expect(track.engine_meta.prompt_language).toBeUndefined();
      expect(await space.jobs()).toEqual([]);
    });
  });

  describe('with a translation service', () => {
    it('uses LibreTranslate for whole sentences', async () => {
      await boot({ TRANSLATE_PROVIDER: 'libretranslate', TRANSLATE_URL: translate.url });
      await translate.reset({ translations: { [KOREAN]: 'calm jazz piano to listen to on a rainy day' } });
      const track = await generate(KOREAN);
      expect(await promptTheSpaceGot()).toBe('calm jazz piano to listen to on a rainy day');
      expect(track.engine_meta.prompt_language).toMatchObject({ method: 'provider', provider: 'libretranslate', english: 'calm jazz piano to listen to on a rainy day' });
      const [sent] = await translate.requests('libretranslate');
      expect(sent.body).toMatchObject({ q: KOREAN, source: 'ko', target: 'en' });
    });

    it('falls back to the glossary when the service fails, and the generation still succeeds', async () => {
      await boot({ TRANSLATE_PROVIDER: 'google', TRANSLATE_URL: translate.url, TRANSLATE_API_KEY: 'secret-key-123', TRANSLATE_TIMEOUT_MS: '300' });
      await translate.reset({ fail: 'slow', slowMs: 5000 });
      const track = await generate(KOREAN);
      expect(await promptTheSpaceGot()).toBe('calm jazz piano, rainy day');
      expect(track.engine_meta.prompt_language).toMatchObject({ method: 'glossary-fallback', provider_error: expect.stringMatching(/timeout/i) });
      expect(track.prompt_expanded).toContain('the translation service failed');
      expect(JSON.stringify(track)).not.toContain('secret-key-123');
    });

    it('refuses an incomplete configuration at boot with a clear message', () => {
      expect(() => loadConfig({ TRANSLATE_PROVIDER: 'google' })).toThrow(/TRANSLATE_PROVIDER: .*key/i);
      expect(() => loadConfig({ TRANSLATE_PROVIDER: 'deepl' })).toThrow(/TRANSLATE_PROVIDER/);
    });
  });
});
