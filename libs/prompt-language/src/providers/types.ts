export type TranslateProviderName = 'libretranslate' | 'google';

export const TRANSLATE_PROVIDERS: readonly TranslateProviderName[] = ['libretranslate', 'google'];

export interface TranslatorConfig {
  provider: TranslateProviderName;
  /**
   * LibreTranslate: the server's base URL (required), e.g. http://libretranslate:5000.
   * Google: defaults to https://translation.googleapis.com (set it for a proxy or a test server).
   * A URL that already ends in /translate (LibreTranslate) or /language/translate/v2 (Google) is used as is.
   */
  url?: string;
  /** LibreTranslate: optional `api_key`; Google: required `key`. */
  apiKey?: string;
  /** whole request, answer included; default 5000 */
  timeoutMs?: number;
  /** for tests; default: the global fetch */
  fetch?: typeof fetch;
}

export interface Translator {
  readonly provider: TranslateProviderName;
  readonly timeoutMs: number;
  /**
   * Translates plain text. `from` may be "auto". Resolves with the translated text
   * (trimmed, never empty) or rejects with a TranslationError.
   */
  translate(text: string, from: string, to: string): Promise<string>;
}
