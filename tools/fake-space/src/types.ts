/**
 * Shared types of the fake Gradio Space: the JSON values that cross the wire and the
 * settings that select an app, a URL layout and a failure mode.
 */

/** Any JSON value (what Gradio puts on the wire). */
export { isJsonObject, type Json, type JsonObject } from '@texttune/tool-http';

/**
 * Gradio's `FileData` model (gradio/data_classes.py) as it appears in outputs and in
 * the join payload. `meta._type` is how @gradio/client recognises a file (it only
 * rewrites/signs URLs of objects carrying it).
 */
export type FileDataJson = {
  path: string;
  url: string | null;
  size: number | null;
  orig_name: string | null;
  mime_type: string | null;
  is_stream: boolean;
  meta: { _type: 'gradio.FileData' };
};

export const APP_NAMES = ['musicgen', 'batched', 'stable-audio'] as const;
export type AppName = (typeof APP_NAMES)[number];

/**
 * `gradio5`: config carries `api_prefix: "/gradio_api"`, every route but `/config`
 * lives under it (Gradio 5 and 6). `gradio4`: no `api_prefix`, routes at the root.
 */
export const LAYOUTS = ['gradio5', 'gradio4'] as const;
export type Layout = (typeof LAYOUTS)[number];

export const FAILURE_MODES = [
  'none',
  'auth',
  'quota',
  'unavailable',
  'sleeping',
  'error',
  'crash',
  'foreign-url',
  'metadata-url',
  'data-url',
  'oversize',
  'not-audio',
  'bad-audio',
  'truncated-audio',
  'slow',
  'drop',
] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

/** Everything that can change at run time (options, env, or `POST /__fake/config`). */
export interface FakeSpaceSettings {
  app: AppName;
  layout: Layout;
  fail: FailureMode;
  /** When set the Space is private: only `Authorization: Bearer <requireToken>` is let in. */
  requireToken: string | null;
  /** Pause between progress steps of a normal job, in ms. */
  delayMs: number;
  /** How long `slow` holds a job (queue + rendering), in ms. */
  slowMs: number;
  /** Size of the file `oversize` serves, in bytes (a real WAV this long). */
  oversizeBytes: number;
  /** Base of the URL `foreign-url` puts in outputs. */
  foreignBaseUrl: string;
  /** Interval of `{"msg":"heartbeat"}` on idle queue/data streams and of the heartbeat route, in ms. */
  heartbeatMs: number;
  /** Sets `connect_heartbeat` in the config, which makes the client open `heartbeat/<session>`. */
  connectHeartbeat: boolean;
  /** Overrides the `root` the config reports (default: derived from the Host header). */
  publicRoot: string | null;
  /**
   * Hugging Face's `GET /api/whoami-v2`: token -> account name of the tokens it knows
   * (`requireToken` is known too, as "space-owner"); any other token gets 401.
   */
  hubAccounts: { [token: string]: string };
  /** How long whoami waits before answering, in ms (to try timeouts). */
  hubDelayMs: number;
}

export const DEFAULT_SETTINGS: FakeSpaceSettings = {
  app: 'musicgen',
  layout: 'gradio5',
  fail: 'none',
  requireToken: null,
  delayMs: 10,
  slowMs: 3000,
  oversizeBytes: 3 * 1024 * 1024,
  foreignBaseUrl: 'http://evil.example.invalid',
  heartbeatMs: 15000,
  connectHeartbeat: false,
  publicRoot: null,
  hubAccounts: {},
  hubDelayMs: 0,
};

export function isAppName(value: unknown): value is AppName {
  return typeof value === 'string' && (APP_NAMES as readonly string[]).includes(value);
}
export function isLayout(value: unknown): value is Layout {
  return typeof value === 'string' && (LAYOUTS as readonly string[]).includes(value);
}
export function isFailureMode(value: unknown): value is FailureMode {
  return typeof value === 'string' && (FAILURE_MODES as readonly string[]).includes(value);
}
