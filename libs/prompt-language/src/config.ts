/**
 * Reads the translation settings from an environment-like record:
 *   TRANSLATE_PROVIDER   libretranslate | google | (unset, "none", "off": no provider)
 *   TRANSLATE_URL        LibreTranslate base URL (required for it); optional for Google
 *   TRANSLATE_API_KEY    LibreTranslate api_key (optional) / Google key (required)
 *   TRANSLATE_TIMEOUT_MS default 5000, 100–60000
 */
import { DEFAULT_TIMEOUT_MS, validateTranslatorConfig } from './providers/translator';
import { TRANSLATE_PROVIDERS, type TranslateProviderName, type TranslatorConfig } from './providers/types';

export type TranslateEnv = Record<string, string | undefined>;

/** null when no provider is configured; throws an Error naming the bad variable. */
export function translatorConfigFromEnv(env: TranslateEnv): TranslatorConfig | null {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  const provider = value('TRANSLATE_PROVIDER')?.toLowerCase();
  if (!provider || provider === 'none' || provider === 'off') return null;
  if (!(TRANSLATE_PROVIDERS as readonly string[]).includes(provider)) {
    throw new Error(`TRANSLATE_PROVIDER must be one of ${TRANSLATE_PROVIDERS.join(', ')} (or unset), got "${provider}"`);
  }
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  const rawTimeout = value('TRANSLATE_TIMEOUT_MS');
  if (rawTimeout !== undefined) {
    timeoutMs = Number(rawTimeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) throw new Error(`TRANSLATE_TIMEOUT_MS must be an integer between 100 and 60000, got "${rawTimeout}"`);
  }
  const url = value('TRANSLATE_URL');
  const apiKey = value('TRANSLATE_API_KEY');
  const config: TranslatorConfig = { provider: provider as TranslateProviderName, timeoutMs, ...(url ? { url } : {}), ...(apiKey ? { apiKey } : {}) };
  try {
    validateTranslatorConfig(config);
  } catch (err) {
    throw new Error(`invalid TRANSLATE_* settings: ${err instanceof Error ? err.message : String(err)}`);
  }
  return config;
}

/** A loggable description of a configuration (the key is only reported as set or not). */
export function describeTranslatorConfig(config: TranslatorConfig | null): string {
  if (!config) return 'no translation provider (glossary only)';
  const url = config.url ?? (config.provider === 'google' ? 'https://translation.googleapis.com' : '?');
  return `${config.provider} at ${url}, key ${config.apiKey ? 'set' : 'not set'}, timeout ${config.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`;
}
