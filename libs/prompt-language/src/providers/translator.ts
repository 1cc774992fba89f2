/**
 * Translation providers over Node's fetch, with a timeout on the whole exchange:
 *
 *   LibreTranslate   POST <url>/translate  {q, source, target, format: "text", api_key?}
 *                    → 200 {translatedText}   errors: {error: "..."} with 400/403/429/500
 *   Google v2        POST <url>/language/translate/v2?key=KEY  {q, source?, target, format: "text"}
 *                    → 200 {data: {translations: [{translatedText, detectedSourceLanguage?}]}}
 *                    errors: {error: {code, message, errors: [{reason, domain}], status}}
 */
import {
  TranslationAuthError,
  TranslationError,
  TranslationHttpError,
  TranslationMalformedError,
  TranslationNetworkError,
  TranslationQuotaError,
  TranslationTimeoutError,
} from './errors';
import { decodeHtmlEntities } from './html';
import { TRANSLATE_PROVIDERS, type TranslateProviderName, type Translator, type TranslatorConfig } from './types';

export const DEFAULT_TIMEOUT_MS = 5000;
export const GOOGLE_DEFAULT_URL = 'https://translation.googleapis.com';
const MAX_ANSWER_CHARS = 1_000_000;

type JsonObject = { [key: string]: unknown };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Answer {
  status: number;
  ok: boolean;
  body: unknown;
  /** the raw text when the body was not JSON */
  text: string;
  json: boolean;
}

interface ProviderSpec {
  endpoint(config: TranslatorConfig): URL;
  body(text: string, from: string, to: string, apiKey: string | undefined): JsonObject;
  result(answer: Answer): string;
  failure(answer: Answer): TranslationError;
}

function trimText(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function parseUrl(raw: string, provider: TranslateProviderName): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${provider}: invalid url "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${provider}: url must be http(s), got ${url.protocol}`);
  return url;
}

const LIBRETRANSLATE: ProviderSpec = {
  endpoint(config) {
    const url = parseUrl(config.url ?? '', 'libretranslate');
    if (!/\/translate\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/translate`;
    return url;
  },
  body(text, from, to, apiKey) {
    return { q: text, source: from, target: to, format: 'text', ...(apiKey ? { api_key: apiKey } : {}) };
  },
  result(answer) {
    const value = isObject(answer.body) ? answer.body.translatedText : undefined;
    const text = Array.isArray(value) ? value.find((v): v is string => typeof v === 'string') : value;
    if (typeof text !== 'string') throw new TranslationMalformedError('libretranslate', 'answer has no translatedText string', answer.status);
    return text;
  },
  failure(answer) {
    const message = isObject(answer.body) && typeof answer.body.error === 'string' ? answer.body.error : trimText(answer.text) || `HTTP ${answer.status}`;
    const text = `libretranslate answered ${answer.status}: ${trimText(message)}`;
    if (answer.status === 429) return new TranslationQuotaError('libretranslate', 429, text);
    if (answer.status === 403 && /too many|limit|slow ?down|banned/i.test(message)) return new TranslationQuotaError('libretranslate', 403, text);
    if (answer.status === 401 || answer.status === 403) return new TranslationAuthError('libretranslate', answer.status, text);
    if (answer.status === 400 && /api[ _]?key/i.test(message)) return new TranslationAuthError('libretranslate', 400, text);
    return new TranslationHttpError('libretranslate', answer.status, text);
  },
};

const GOOGLE: ProviderSpec = {
  endpoint(config) {
    const url = parseUrl(config.url ?? GOOGLE_DEFAULT_URL, 'google');
    if (!/\/language\/translate\/v2\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/language/translate/v2`;
    url.searchParams.set('key', config.apiKey ?? '');
    return url;
  },
  body(text, from, to) {
    return { q: text, ...(from && from !== 'auto' ? { source: from } : {}), target: to, format: 'text' };
  },
  result(answer) {
    const data = isObject(answer.body) ? answer.body.data : undefined;
    const translations = isObject(data) ? data.translations : undefined;
    const first: unknown = Array.isArray(translations) ? translations[0] : undefined;
    const text = isObject(first) ? first.translatedText : undefined;
    if (typeof text !== 'string') throw new TranslationMalformedError('google', 'answer has no data.translations[0].translatedText string', answer.status);
    return decodeHtmlEntities(text);
  },
  failure(answer) {
    const error = isObject(answer.body) && isObject(answer.body.error) ? answer.body.error : undefined;
    const message = typeof error?.message === 'string' ? error.message : trimText(answer.text) || `HTTP ${answer.status}`;
    const reasons: string[] = [];
    if (typeof error?.status === 'string') reasons.push(error.status);
    for (const list of [error?.errors, error?.details]) {
      if (Array.isArray(list)) for (const e of list) if (isObject(e) && typeof e.reason === 'string') reasons.push(e.reason);
    }
    const all = `${message} ${reasons.join(' ')}`;
    const text = `google answered ${answer.status}: ${trimText(message)}${reasons.length ? ` (${reasons.join(', ')})` : ''}`;
    if (answer.status === 429 || (answer.status === 403 && /limit ?exceeded|quota|exhausted|rate ?limit/i.test(all))) return new TranslationQuotaError('google', answer.status, text);
    if (answer.status === 401 || answer.status === 403) return new TranslationAuthError('google', answer.status, text);
    if (answer.status === 400 && /api key|api_key_invalid|keyinvalid/i.test(all)) return new TranslationAuthError('google', 400, text);
    return new TranslationHttpError('google', answer.status, text);
  },
};

const SPECS: Record<TranslateProviderName, ProviderSpec> = { libretranslate: LIBRETRANSLATE, google: GOOGLE };

/** Checks a configuration; throws an Error naming the problem (never the key). */
export function validateTranslatorConfig(config: TranslatorConfig): void {
  if (!TRANSLATE_PROVIDERS.includes(config.provider)) throw new Error(`unknown translation provider "${String(config.provider)}" (expected ${TRANSLATE_PROVIDERS.join(' or ')})`);
  if (config.provider === 'libretranslate' && !config.url) throw new Error('libretranslate needs a url (TRANSLATE_URL)');
  if (config.provider === 'google' && !config.apiKey) throw new Error('google needs an API key (TRANSLATE_API_KEY)');
  if (config.timeoutMs !== undefined && (!Number.isFinite(config.timeoutMs) || config.timeoutMs <= 0)) throw new Error(`timeoutMs must be a positive number, got ${config.timeoutMs}`);
  SPECS[config.provider].endpoint(config);
}

export function createTranslator(config: TranslatorConfig): Translator {
  validateTranslatorConfig(config);
  const { provider, apiKey } = config;
  const spec = SPECS[provider];
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const endpoint = spec.endpoint(config).toString();
  const doFetch = config.fetch ?? fetch;
  const redact = (text: string): string => (apiKey ? text.split(apiKey).join('***') : text);

  async function exchange(body: JsonObject): Promise<Answer> {
    const signal = AbortSignal.timeout(timeoutMs);
    const failed = (err: unknown): TranslationError => {
      if (signal.aborted || (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))) return new TranslationTimeoutError(provider, timeoutMs);
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      return new TranslationNetworkError(provider, redact(`${provider} request failed: ${err instanceof Error ? err.message : String(err)}${cause}`));
    };
    let response: Response;
    try {
      response = await doFetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal,
        redirect: 'error',
      });
    } catch (err) {
      throw failed(err);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      throw failed(err);
    }
    if (text.length > MAX_ANSWER_CHARS) throw new TranslationMalformedError(provider, `answer too large (${text.length} characters)`, response.status);
    let parsed: unknown = undefined;
    let json = false;
    try {
      parsed = JSON.parse(text);
      json = true;
    } catch {
      // handled below: an error status keeps its kind, a 2xx is malformed
    }
    return { status: response.status, ok: response.ok, body: parsed, text: redact(text), json };
  }

  return {
    provider,
    timeoutMs,
    async translate(text: string, from: string, to: string): Promise<string> {
      const answer = await exchange(spec.body(text, from, to, apiKey));
      if (!answer.ok) {
        const error = spec.failure(answer);
        error.message = redact(error.message);
        throw error;
      }
      if (!answer.json) throw new TranslationMalformedError(provider, `answer is not JSON: ${trimText(answer.text, 120) || '(empty)'}`, answer.status);
      const translated = spec.result(answer).replace(/\s+/g, ' ').trim();
      if (!translated) throw new TranslationMalformedError(provider, 'empty translation', answer.status);
      return translated;
    },
  };
}
