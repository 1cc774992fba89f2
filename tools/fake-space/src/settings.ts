/** Reading settings from the environment and from `POST /__fake/config` bodies. */
import { HttpError } from './http';
import { DEFAULT_SETTINGS, isAppName, isFailureMode, isJsonObject, isLayout, type FakeSpaceSettings, type Json } from './types';

type Patch = Partial<FakeSpaceSettings>;

const NUMERIC_KEYS = ['delayMs', 'slowMs', 'oversizeBytes', 'heartbeatMs', 'hubDelayMs'] as const;
const NULLABLE_STRING_KEYS = ['requireToken', 'publicRoot'] as const;

/** Validates a JSON patch; unknown keys and bad values are a 400. */
export function parseSettingsPatch(body: Json): Patch {
  if (!isJsonObject(body)) throw new HttpError(400, { detail: 'expected a JSON object' });
  const patch: Patch = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'app') {
      if (!isAppName(value)) throw new HttpError(400, { detail: `unknown app ${JSON.stringify(value)}` });
      patch.app = value;
    } else if (key === 'layout') {
      if (!isLayout(value)) throw new HttpError(400, { detail: `unknown layout ${JSON.stringify(value)}` });
      patch.layout = value;
    } else if (key === 'fail') {
      const mode = value === null ? 'none' : value;
      if (!isFailureMode(mode)) throw new HttpError(400, { detail: `unknown failure mode ${JSON.stringify(value)}` });
      patch.fail = mode;
    } else if ((NUMERIC_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new HttpError(400, { detail: `${key} must be a non-negative number` });
      patch[key as (typeof NUMERIC_KEYS)[number]] = value;
    } else if ((NULLABLE_STRING_KEYS as readonly string[]).includes(key)) {
      if (value !== null && (typeof value !== 'string' || value === '')) throw new HttpError(400, { detail: `${key} must be a non-empty string or null` });
      patch[key as (typeof NULLABLE_STRING_KEYS)[number]] = value;
    } else if (key === 'foreignBaseUrl') {
      if (typeof value !== 'string' || !/^https?:\/\//.test(value)) throw new HttpError(400, { detail: 'foreignBaseUrl must be an http(s) URL' });
      patch.foreignBaseUrl = value;
    } else if (key === 'hubAccounts') {
      if (!isJsonObject(value) || !Object.values(value).every((name) => typeof name === 'string' && name !== '')) {
        throw new HttpError(400, { detail: 'hubAccounts must be an object of token -> account name' });
      }
      patch.hubAccounts = value as { [token: string]: string };
    } else if (key === 'connectHeartbeat') {
      if (typeof value !== 'boolean') throw new HttpError(400, { detail: 'connectHeartbeat must be a boolean' });
      patch.connectHeartbeat = value;
    } else {
      throw new HttpError(400, { detail: `unknown setting ${key}` });
    }
  }
  return patch;
}

/**
 * FAKE_SPACE_APP, FAKE_SPACE_LAYOUT, FAKE_SPACE_FAIL, FAKE_SPACE_TOKEN, FAKE_SPACE_DELAY_MS,
 * FAKE_SPACE_SLOW_MS, FAKE_SPACE_OVERSIZE_BYTES, FAKE_SPACE_FOREIGN_URL,
 * FAKE_SPACE_HEARTBEAT_MS, FAKE_SPACE_CONNECT_HEARTBEAT, FAKE_SPACE_PUBLIC_ROOT,
 * FAKE_SPACE_HUB_ACCOUNTS (JSON: token -> account), FAKE_SPACE_HUB_DELAY_MS.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv): Patch {
  const body: { [key: string]: Json } = {};
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const numeric = (name: string, key: string): void => {
    const value = text(name);
    if (value !== undefined) body[key] = Number(value);
  };
  if (text('FAKE_SPACE_APP')) body.app = text('FAKE_SPACE_APP') ?? null;
  if (text('FAKE_SPACE_LAYOUT')) body.layout = text('FAKE_SPACE_LAYOUT') ?? null;
  if (text('FAKE_SPACE_FAIL')) body.fail = text('FAKE_SPACE_FAIL') ?? null;
  if (text('FAKE_SPACE_TOKEN')) body.requireToken = text('FAKE_SPACE_TOKEN') ?? null;
  if (text('FAKE_SPACE_FOREIGN_URL')) body.foreignBaseUrl = text('FAKE_SPACE_FOREIGN_URL') ?? null;
  if (text('FAKE_SPACE_PUBLIC_ROOT')) body.publicRoot = text('FAKE_SPACE_PUBLIC_ROOT') ?? null;
  if (text('FAKE_SPACE_CONNECT_HEARTBEAT')) body.connectHeartbeat = /^(1|true|yes)$/i.test(text('FAKE_SPACE_CONNECT_HEARTBEAT') ?? '');
  numeric('FAKE_SPACE_DELAY_MS', 'delayMs');
  numeric('FAKE_SPACE_SLOW_MS', 'slowMs');
  numeric('FAKE_SPACE_OVERSIZE_BYTES', 'oversizeBytes');
  numeric('FAKE_SPACE_HEARTBEAT_MS', 'heartbeatMs');
  numeric('FAKE_SPACE_HUB_DELAY_MS', 'hubDelayMs');
  if (text('FAKE_SPACE_HUB_ACCOUNTS')) {
    try {
      body.hubAccounts = JSON.parse(text('FAKE_SPACE_HUB_ACCOUNTS') ?? '{}') as Json;
    } catch {
      throw new Error('invalid FAKE_SPACE_* environment: FAKE_SPACE_HUB_ACCOUNTS must be a JSON object of token -> account name');
    }
  }
  try {
    return parseSettingsPatch(body);
  } catch (err) {
    throw new Error(`invalid FAKE_SPACE_* environment: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function mergeSettings(base: FakeSpaceSettings, patch: Patch): FakeSpaceSettings {
  const merged: FakeSpaceSettings = { ...base };
  for (const key of Object.keys(patch) as (keyof FakeSpaceSettings)[]) {
    if (patch[key] !== undefined) Object.assign(merged, { [key]: patch[key] });
  }
  return merged;
}

export { DEFAULT_SETTINGS };
