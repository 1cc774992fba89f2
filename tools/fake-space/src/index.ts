export { startFakeSpace, classify, type FakeSpace, type FakeSpaceOptions } from './server';
export { planTrack, renderTrack, sha256Hex, type RenderedTrack, type TrackRequest } from './wav-render';
export { ZEROGPU_QUOTA_MESSAGE, ZEROGPU_QUOTA_TITLE, APP_ERROR_MESSAGE, METADATA_URL } from './failures';
export { API_PREFIX } from './gradio-config';
export { MUSICGEN_MODELS } from './apps/musicgen';
export type { JobRecord } from './queue';
export type { RequestLogEntry } from './request-log';
export * from './types';
