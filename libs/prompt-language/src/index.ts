/**
 * @texttune/prompt-language — English prompts for English-only music models.
 *
 *   detectLanguage(text)                       'ko' | 'en' | 'other'
 *   glossaryTranslate(prompt)                  offline Korean → English { english, unknown }
 *   createTranslator({ provider, url, apiKey, timeoutMs })   LibreTranslate / Google v2
 *   toEnglishPrompt(prompt, { translator })    the whole decision, never throws for a provider
 *   translatorConfigFromEnv(process.env)       TRANSLATE_PROVIDER/URL/API_KEY/TIMEOUT_MS
 *
 * Framework-free: Node built-ins (fetch, AbortSignal.timeout) only.
 */
export { detectLanguage, scriptWeights, KOREAN_SHARE, type PromptLanguage, type ScriptWeights } from './detect';
export { glossaryTranslate, type GlossaryTranslation } from './glossary/translate';
export { glossaryInfo, type GlossaryInfo } from './glossary/info';
export { conjugate } from './hangul';
export { createTranslator, validateTranslatorConfig, DEFAULT_TIMEOUT_MS, GOOGLE_DEFAULT_URL } from './providers/translator';
export {
  TranslationError,
  TranslationTimeoutError,
  TranslationNetworkError,
  TranslationHttpError,
  TranslationQuotaError,
  TranslationAuthError,
  TranslationMalformedError,
  type TranslationErrorKind,
} from './providers/errors';
export { decodeHtmlEntities } from './providers/html';
export { TRANSLATE_PROVIDERS, type TranslateProviderName, type Translator, type TranslatorConfig } from './providers/types';
export { toEnglishPrompt, type EnglishPrompt, type EnglishPromptMethod, type ToEnglishOptions } from './to-english';
export { translatorConfigFromEnv, describeTranslatorConfig, type TranslateEnv } from './config';
