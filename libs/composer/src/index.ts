export type { RenderOptions, RenderRequest, RenderResult } from './render';
export { renderMusic, SUPPORTED_SAMPLE_RATES, MAX_DURATION_SECONDS } from './render';
export type { DrumIntensity, GenreId, InstrumentId, MoodId, MusicPlan } from './plan';
export { GENRES, INSTRUMENTS, MOODS } from './plan';
export type { Quality } from './quality';
export { interpretPrompt, extractFeatures } from './prompt/interpret';
export type { PromptFeatures } from './prompt/interpret';
export { describePlan } from './prompt/describe';
