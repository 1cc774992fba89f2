import type { AppConfig } from '../config/app-config';
import { createTranslator } from '@texttune/prompt-language';
import { EnglishPromptEngine } from './english-prompt-engine';
import { GradioEngine } from './gradio';
import { OfflineEngine } from './local/offline-engine';
import type { MusicEngine } from './music-engine';

/**
 * The engines the configuration selects, the default first: the Gradio engine when
 * HF_SPACE_ID is set (with the offline engine as its fallback when ENGINE_FALLBACK=local),
 * and the offline engine always.
 * Engines listed in PROMPT_ENGLISH_ENGINES (the Gradio engine by default) are sent
 * English prompts (see EnglishPromptEngine). The EngineRegistry closes their
 * connections at shutdown.
 */
export function createEngines(config: AppConfig): MusicEngine[] {
  const offline = new OfflineEngine({ soundFontPath: config.offlineEngine.soundFontPath });
  const engines: MusicEngine[] = [];
  if (config.space.id) {
    engines.push(
      new GradioEngine({
        space: config.space.id,
        token: config.space.token,
        apiName: config.spaceEngine.apiName,
        model: config.spaceEngine.model,
        inputs: config.spaceEngine.inputs,
        timeoutSeconds: config.generation.timeoutSeconds,
        maxAudioBytes: config.spaceEngine.maxAudioBytes,
        fallback: config.spaceEngine.fallback === 'local' ? offline : undefined,
        hubUrl: config.hfTokens.hubUrl,
        tokenPolicy: config.hfTokens.policy,
      }),
    );
  }
  engines.push(offline);
  const { translator, englishEngines } = config.promptLanguage;
  const translate = translator ? createTranslator(translator) : null;
  return engines.map((engine) => (englishEngines.includes(engine.id) ? new EnglishPromptEngine(engine, translate) : engine));
}
