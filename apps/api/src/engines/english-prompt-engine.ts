import type { EngineDescription } from '@texttune/contracts';
import { toEnglishPrompt, type EnglishPrompt, type Translator } from '@texttune/prompt-language';
import { LRUCache } from 'lru-cache';
import type { EngineAudio, EngineRequest, EngineRunContext, MusicEngine } from './music-engine';
import type { UserTokenSource } from './gradio/user-tokens';

const HOW: Record<EnglishPrompt['method'], string> = {
  unchanged: 'as written',
  glossary: 'music glossary',
  provider: 'translation service',
  'glossary-fallback': 'music glossary; the translation service failed',
};

/**
 * An English-only engine (most Spaces) behind a translator: a prompt in Korean (or
 * another language) reaches the engine in English — through the translation service when
 * one is configured, else the built-in music glossary — and the track keeps the original,
 * the English and how it was made. A translation failure never fails a generation.
 */
export class EnglishPromptEngine implements MusicEngine {
  readonly id: string;
  /** One translation per prompt, not one per take or retry. */
  private readonly cache = new LRUCache<string, Promise<EnglishPrompt>>({ max: 500 });

  constructor(
    readonly inner: MusicEngine,
    private readonly translator: Translator | null,
  ) {
    this.id = inner.id;
  }

  async describe(): Promise<EngineDescription> {
    const description = await this.inner.describe();
    return {
      ...description,
      supports: { ...description.supports, needsEnglish: true },
      details: { ...description.details, promptTranslation: this.translator ? this.translator.provider : 'glossary' },
    };
  }

  async generate(request: EngineRequest, context: EngineRunContext): Promise<EngineAudio> {
    const english = await this.english(request.prompt);
    if (english.method === 'unchanged') return this.inner.generate(request, context);
    const audio = await this.inner.generate({ ...request, prompt: english.english }, context);
    const note = `English: ${english.english} (${HOW[english.method]})`;
    return {
      ...audio,
      promptExpanded: audio.promptExpanded ? `${audio.promptExpanded} · ${note}` : note,
      metadata: {
        ...audio.metadata,
        prompt_language: {
          original: english.original,
          english: english.english,
          language: english.language,
          method: english.method,
          unknown_words: english.unknown,
          ...(english.provider ? { provider: english.provider } : {}),
          ...(english.providerError ? { provider_error: english.providerError } : {}),
        },
      },
    };
  }

  close(): Promise<void> | void {
    return this.inner.close?.();
  }

  useUserTokens(source: UserTokenSource): void {
    this.inner.useUserTokens?.(source);
  }

  private english(prompt: string): Promise<EnglishPrompt> {
    let pending = this.cache.get(prompt);
    if (!pending) {
      pending = toEnglishPrompt(prompt, { translator: this.translator });
      this.cache.set(prompt, pending);
      // A provider failure is not remembered: the next job may find the service back.
      void pending.then((result) => result.providerError && this.cache.delete(prompt));
    }
    return pending;
  }
}
