/** Request and response shapes of `/v1/generations` and `/v1/engines`. */

export const SAMPLE_RATES = [16000, 22050, 24000, 32000, 44100, 48000] as const;
export type SampleRate = (typeof SAMPLE_RATES)[number];
export const DEFAULT_SAMPLE_RATE: SampleRate = 44100;

export const QUALITIES = ['draft', 'standard', 'high'] as const;
export type Quality = (typeof QUALITIES)[number];

export const GENERATION_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type GenerationStatus = (typeof GENERATION_STATUSES)[number];
export const FINISHED_STATUSES: readonly GenerationStatus[] = ['succeeded', 'failed', 'canceled'];

export const PROMPT_MAX_LENGTH = 500;
export const SEED_MAX = 4294967295;
export const VARIATIONS_MAX = 4;
/** Duration used when the request has none: the smaller of this and the server's max. */
export const DEFAULT_DURATION_SECONDS = 10;

/** Engine sampling parameters and their accepted ranges. */
export interface SamplingParams {
  topK?: number;
  topP?: number;
  temperature?: number;
  cfg?: number;
}
export const SAMPLING_LIMITS = {
  topK: { min: 0, max: 1000, integer: true },
  topP: { min: 0, max: 1, integer: false },
  temperature: { min: 0.01, max: 5, integer: false },
  cfg: { min: 0, max: 30, integer: false },
} as const satisfies Record<keyof SamplingParams, { min: number; max: number; integer: boolean }>;

/** `POST /v1/generations` */
export interface CreateGenerationRequest {
  prompt: string;
  /** seconds, 1…the engine's `supports.maxDurationSeconds` (capped by the server's MAX_DURATION_SECONDS) */
  duration?: number;
  samplerate?: SampleRate;
  /** 0…4294967295; random (and recorded) when absent */
  seed?: number;
  quality?: Quality;
  /** 1…4 takes with consecutive seeds */
  variations?: number;
  /** an engine id from `GET /v1/engines`; the default engine when absent */
  engine?: string;
  params?: SamplingParams;
  /** a reference (melody) from `POST /v1/references`, for engines whose `supports.referenceAudio` */
  reference_id?: string;
  /** a seamless loop (whole bars, its end flowing into its start), for engines whose `supports.loop` */
  loop?: boolean;
}

/** The request as resolved and recorded: every default filled in. */
export interface GenerationParams {
  duration: number;
  samplerate: SampleRate;
  seed: number;
  quality: Quality;
  variations: number;
  sampling: SamplingParams;
  /** the reference (melody) audio the engine was given; absent or null when none */
  reference_id?: string | null;
  /** a seamless loop was asked for; absent when not */
  loop?: boolean;
}

/** Largest reference (melody) upload `POST /v1/references` accepts. */
export const REFERENCE_MAX_BYTES = 20 * 1024 * 1024;

/** `POST /v1/references` (multipart/form-data, field `file`): 201 answer. */
export interface ReferenceResponse {
  id: string;
  /** the container, from decoding the bytes: wav, mp3, flac, ogg */
  format: string;
  /** the codec inside it (pcm, float, mp3, flac, vorbis, opus, …); null for references stored before decoding */
  codec: string | null;
  channels: number | null;
  sample_rate: number | null;
  size_bytes: number;
  /** seconds of audio the file really holds (null for references stored before decoding) */
  duration: number | null;
  created_at: string;
}

export const GENERATION_ERROR_CODES = ['space_auth', 'space_quota', 'space_unavailable', 'space_error', 'timeout', 'invalid_output', 'engine_error', 'canceled', 'interrupted'] as const;
export type GenerationErrorCode = (typeof GENERATION_ERROR_CODES)[number];

export interface GenerationError {
  code: GenerationErrorCode;
  message: string;
}

/** `GET /v1/generations/:id` (also the 202 answer of `POST /v1/generations`). */
export interface GenerationResponse {
  job_id: string;
  status: GenerationStatus;
  prompt: string;
  /** 0…1 */
  progress: number;
  /** 1-based place in the queue while queued (or in a Space's queue while waiting there); null otherwise */
  position: number | null;
  eta_seconds: number | null;
  /** the first take's stream URL once succeeded */
  audio_url: string | null;
  track_id: string | null;
  track_ids: string[];
  params: GenerationParams;
  engine: string | null;
  error: GenerationError | null;
  cancel_requested: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface GenerationListResponse {
  items: GenerationResponse[];
  next_cursor: string | null;
}

/** Server-Sent Events of `GET /v1/generations/:id/events`; `final` is last, then the stream ends. */
export const GENERATION_EVENT_TYPES = ['status', 'progress', 'position', 'final'] as const;
export type GenerationEventType = (typeof GENERATION_EVENT_TYPES)[number];

export interface EngineCapabilities {
  samplingParams: (keyof SamplingParams)[];
  referenceAudio: boolean;
  /** the engine works from English prompts only */
  needsEnglish: boolean;
  /** the longest duration the engine renders, in seconds (null: unknown); requests are also capped by the server's MAX_DURATION_SECONDS */
  maxDurationSeconds: number | null;
  /** renders seamless loops (`loop: true`); absent means no */
  loop?: boolean;
}

/** `GET /v1/engines` item */
export interface EngineDescription {
  id: string;
  kind: 'offline' | 'gradio' | 'test';
  label: string;
  ready: boolean;
  /** why the engine is not ready, for operators */
  reason: string | null;
  default: boolean;
  supports: EngineCapabilities;
  /** engine-specific facts, e.g. a Space's endpoint and input mapping */
  details: Record<string, unknown>;
}

export interface EngineListResponse {
  items: EngineDescription[];
}
