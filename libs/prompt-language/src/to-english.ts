/**
 * The English prompt for an engine that needs one. English prompts are kept as they
 * are; Korean goes through the translation provider when one is configured, and the
 * glossary otherwise or when the provider fails. Never throws because of a provider.
 */
import { detectLanguage, type PromptLanguage } from './detect';
import { glossaryTranslate } from './glossary/translate';
import { TranslationError } from './providers/errors';
import type { TranslateProviderName, Translator } from './providers/types';

export type EnglishPromptMethod = 'unchanged' | 'glossary' | 'provider' | 'glossary-fallback';

export interface EnglishPrompt {
  /** what to send to the engine; never empty for a non-empty prompt (see below) */
  english: string;
  /** the prompt as the user wrote it */
  original: string;
  language: PromptLanguage;
  /**
   * unchanged: English (or no provider for another language) — `english` is the trimmed original;
   * glossary: built-in glossary; provider: the translation service;
   * glossary-fallback: the service failed (see providerError), glossary used instead
   */
  method: EnglishPromptMethod;
  /** Korean words the glossary did not know (empty for unchanged/provider) */
  unknown: string[];
  /** the provider used or tried */
  provider?: TranslateProviderName;
  /** why the provider failed: "<kind>: <message>", never containing the API key */
  providerError?: string;
}

export interface ToEnglishOptions {
  /** configured translation service; without it Korean goes through the glossary */
  translator?: Translator | null;
}

function describeFailure(err: unknown): string {
  if (err instanceof TranslationError) return `${err.kind}: ${err.message}`;
  return `error: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * When the glossary understands nothing at all, `english` is the original text (the
 * words are listed in `unknown`), so an engine never receives an empty prompt.
 */
export async function toEnglishPrompt(prompt: string, options: ToEnglishOptions = {}): Promise<EnglishPrompt> {
  const original = prompt;
  const text = prompt.replace(/\s+/g, ' ').trim();
  const language = detectLanguage(text);
  const translator = options.translator ?? null;
  const unchanged: EnglishPrompt = { english: text, original, language, method: 'unchanged', unknown: [] };
  if (!text || language === 'en') return unchanged;

  if (language === 'other') {
    if (!translator) return unchanged;
    try {
      const english = await translator.translate(text, 'auto', 'en');
      return { english, original, language, method: 'provider', unknown: [], provider: translator.provider };
    } catch (err) {
      return { ...unchanged, provider: translator.provider, providerError: describeFailure(err) };
    }
  }

  const glossary = glossaryTranslate(text);
  const fromGlossary = { english: glossary.english || text, unknown: glossary.unknown };
  if (!translator) return { ...fromGlossary, original, language, method: 'glossary' };
  try {
    const english = await translator.translate(text, 'ko', 'en');
    if (detectLanguage(english) === 'ko') throw new TranslationError('untranslated', translator.provider, `${translator.provider} returned Korean text`);
    return { english, original, language, method: 'provider', unknown: [], provider: translator.provider };
  } catch (err) {
    return { ...fromGlossary, original, language, method: 'glossary-fallback', provider: translator.provider, providerError: describeFailure(err) };
  }
}
