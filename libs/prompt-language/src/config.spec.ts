import { describeTranslatorConfig, translatorConfigFromEnv } from './config';

describe('translatorConfigFromEnv', () => {
  it('is null without a provider', () => {
    expect(translatorConfigFromEnv({})).toBeNull();
    expect(translatorConfigFromEnv({ TRANSLATE_PROVIDER: ' ' })).toBeNull();
    expect(translatorConfigFromEnv({ TRANSLATE_PROVIDER: 'none', TRANSLATE_URL: 'http://x' })).toBeNull();
  });

  it('reads LibreTranslate and Google settings', () => {
    expect(translatorConfigFromEnv({ TRANSLATE_PROVIDER: 'LibreTranslate', TRANSLATE_URL: 'http://libretranslate:5000' })).toEqual({
      provider: 'libretranslate',
      url: 'http://libretranslate:5000',
      timeoutMs: 5000,
    });
    expect(translatorConfigFromEnv({ TRANSLATE_PROVIDER: 'google', TRANSLATE_API_KEY: 'AIzaSecret', TRANSLATE_TIMEOUT_MS: '2500' })).toEqual({
      provider: 'google',
      apiKey: 'AIzaSecret',
      timeoutMs: 2500,
    });
  });

  it('rejects bad values, naming the variable and never the key', () => {
    expect(() => translatorConfigFromEnv({ TRANSLATE_PROVIDER: 'deepl' })).toThrow(/TRANSLATE_PROVIDER must be one of libretranslate, google/);
    expect(() => translatorConfigFromEnv({ TRANSLATE_PROVIDER: 'libretranslate' })).toThrow(/needs a url \(TRANSLATE_URL\)/);
    expect(() => translatorConfigFromEnv({ TRANSLATE_PROVIDER: 'libretranslate', TRANSLATE_URL: 'ftp://x' })).toThrow(/http\(s\)/);
    expect(() => translatorConfigFromEnv({ TRANSLATE_PROVIDER: 'google' })).toThrow(/needs an API key \(TRANSLATE_API_KEY\)/);
    expect(() => translatorConfigFromEnv({ TRANSLATE_PROVIDER: 'google', TRANSLATE_API_KEY: 'k', TRANSLATE_TIMEOUT_MS: '10' })).toThrow(/TRANSLATE_TIMEOUT_MS/);
    expect(() => translatorConfigFromEnv({ TRANSLATE_PROVIDER: 'google', TRANSLATE_API_KEY: 'AIzaSecret', TRANSLATE_URL: 'not a url' })).toThrow(/invalid url/);
    try {
      translatorConfigFromEnv({ TRANSLATE_PROVIDER: 'google', TRANSLATE_API_KEY: 'AIzaSecret', TRANSLATE_URL: 'nope' });
    } catch (err) {
      expect(String(err)).not.toContain('AIzaSecret');
    }
  });

  it('describes a configuration without the key', () => {
    expect(describeTranslatorConfig(null)).toBe('no translation provider (glossary only)');
    expect(describeTranslatorConfig({ provider: 'google', apiKey: 'AIzaSecret' })).toBe('google at https://translation.googleapis.com, key set, timeout 5000 ms');
  });
});
