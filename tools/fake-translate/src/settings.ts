/** Settings of the fake: failure mode, timing, API key, canned translations. */
import { isJsonObject, type Json } from '@texttune/tool-http';
import { Reply } from './http';

export const FAILURE_MODES = [
  'none',
  'quota',
  'rate-limit',
  'auth',
  'error',
  'unavailable',
  'slow',
  'malformed-json',
  'wrong-shape',
  'empty',
  'untranslated',
  'html-page',
  'drop',
] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

export interface FakeTranslateSettings {
  fail: FailureMode;
  /** pause before every answer */
  delayMs: number;
  /** how long `slow` holds a request before answering normally */
  slowMs: number;
  /** when set: LibreTranslate needs `api_key`, Google needs `key=` to equal it */
  apiKey: string | null;
  /** Google: escape the translation as HTML even for format "text" (as Google is seen to do) */
  escapeEntities: boolean;
  /** source text (trimmed) → translation; looked up before the built-in table */
  translations: { [source: string]: string };
}

export const DEFAULT_SETTINGS: FakeTranslateSettings = {
  fail: 'none',
  delayMs: 0,
  slowMs: 3000,
  apiKey: null,
  escapeEntities: false,
  translations: {},
};

export const isFailureMode = (v: unknown): v is FailureMode => typeof v === 'string' && (FAILURE_MODES as readonly string[]).includes(v);

type Patch = Partial<FakeTranslateSettings>;

/** Validates a JSON patch; unknown keys and bad values are a 400. */
export function parseSettingsPatch(body: Json): Patch {
  if (!isJsonObject(body)) throw new Reply(400, { error: 'expected a JSON object' });
  const patch: Patch = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'fail') {
      const mode = value === null ? 'none' : value;
      if (!isFailureMode(mode)) throw new Reply(400, { error: `unknown failure mode ${JSON.stringify(value)}` });
      patch.fail = mode;
    } else if (key === 'delayMs' || key === 'slowMs') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Reply(400, { error: `${key} must be a non-negative number` });
      patch[key] = value;
    } else if (key === 'apiKey') {
      if (value !== null && (typeof value !== 'string' || !value)) throw new Reply(400, { error: 'apiKey must be a non-empty string or null' });
      patch.apiKey = value;
    } else if (key === 'escapeEntities') {
      if (typeof value !== 'boolean') throw new Reply(400, { error: 'escapeEntities must be a boolean' });
      patch.escapeEntities = value;
    } else if (key === 'translations') {
      if (!isJsonObject(value) || !Object.values(value).every((v) => typeof v === 'string')) throw new Reply(400, { error: 'translations must map strings to strings' });
      patch.translations = Object.fromEntries(Object.entries(value).map(([k, v]) => [k.trim(), v as string]));
    } else {
      throw new Reply(400, { error: `unknown setting ${key}` });
    }
  }
  return patch;
}

/** FAKE_TRANSLATE_FAIL, FAKE_TRANSLATE_API_KEY, FAKE_TRANSLATE_DELAY_MS, FAKE_TRANSLATE_SLOW_MS, FAKE_TRANSLATE_ESCAPE_ENTITIES. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): Patch {
  const body: { [key: string]: Json } = {};
  const text = (name: string): string | undefined => env[name]?.trim() || undefined;
  if (text('FAKE_TRANSLATE_FAIL')) body.fail = text('FAKE_TRANSLATE_FAIL') ?? null;
  if (text('FAKE_TRANSLATE_API_KEY')) body.apiKey = text('FAKE_TRANSLATE_API_KEY') ?? null;
  if (text('FAKE_TRANSLATE_DELAY_MS')) body.delayMs = Number(text('FAKE_TRANSLATE_DELAY_MS'));
  if (text('FAKE_TRANSLATE_SLOW_MS')) body.slowMs = Number(text('FAKE_TRANSLATE_SLOW_MS'));
  if (text('FAKE_TRANSLATE_ESCAPE_ENTITIES')) body.escapeEntities = /^(1|true|yes)$/i.test(text('FAKE_TRANSLATE_ESCAPE_ENTITIES') ?? '');
  try {
    return parseSettingsPatch(body);
  } catch (err) {
    throw new Error(`invalid FAKE_TRANSLATE_* environment: ${err instanceof Error ? err.message : String(err)}`);
  }
}
