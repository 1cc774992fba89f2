import { DEFAULT_DURATION_SECONDS, DEFAULT_SAMPLE_RATE, REFERENCE_MAX_BYTES, SEED_MAX, type CreateGenerationRequest, type EngineDescription, type GenerationResponse, type Quality, type SampleRate } from '@texttune/contracts';

export type SeedMode = 'random' | 'fixed';

export interface GenerateFormValue {
  prompt: string;
  duration: number;
  seedMode: SeedMode;
  seed: number | null;
  quality: Quality;
  samplerate: SampleRate;
  variations: number;
  /** '' = the server's default engine */
  engine: string;
  /** a seamless loop; sent only when the chosen engine renders loops */
  loop: boolean;
}

/** The slider's range until `GET /v1/me` has told this user's maximum. */
export const FALLBACK_MAX_DURATION = 30;

export function defaultFormValue(maxDuration: number | null): GenerateFormValue {
  return {
    prompt: '',
    duration: Math.min(DEFAULT_DURATION_SECONDS, maxDuration ?? DEFAULT_DURATION_SECONDS),
    seedMode: 'random',
    seed: null,
    quality: 'draft',
    samplerate: DEFAULT_SAMPLE_RATE,
    variations: 1,
    engine: '',
    loop: false,
  };
}

/** The upper bound of the duration slider: the server's max, and the chosen engine's own limit. */
export function durationLimit(serverMax: number | null, engine: EngineDescription | undefined): number {
  const engineMax = engine?.supports.maxDurationSeconds ?? null;
  const candidates = [serverMax ?? FALLBACK_MAX_DURATION, ...(engineMax ? [engineMax] : [])];
  return Math.max(1, Math.floor(Math.min(...candidates)));
}

/** Whether the chosen engine (or the server's default) takes reference (melody) audio. */
export function acceptsReference(engine: EngineDescription | undefined): boolean {
  return !!engine?.ready && !!engine.supports.referenceAudio;
}

/** Whether the chosen engine (or the server's default) renders seamless loops; a missing `supports.loop` means no. */
export function acceptsLoop(engine: EngineDescription | undefined): boolean {
  return !!engine?.ready && engine.supports.loop === true;
}

/** A reason to refuse a picked reference file before uploading it (its bytes are checked by the server), or null. */
export function referenceFileProblem(file: Pick<File, 'size' | 'type'>): 'referenceTooLarge' | 'referenceNotAudio' | 'referenceEmpty' | null {
  if (file.size === 0) return 'referenceEmpty';
  if (file.size > REFERENCE_MAX_BYTES) return 'referenceTooLarge';
  if (file.type && !file.type.startsWith('audio/')) return 'referenceNotAudio';
  return null;
}

/** The engines a person can choose between (ready ones), the default first. */
export function selectableEngines(engines: readonly EngineDescription[]): EngineDescription[] {
  return engines.filter((e) => e.ready).sort((a, b) => Number(b.default) - Number(a.default));
}

/** The request for a form's value: only what the person chose; the server fills in the rest. */
export function toCreateRequest(value: GenerateFormValue, referenceId?: string | null, loopAllowed = false): CreateGenerationRequest {
  const request: CreateGenerationRequest = {
    prompt: value.prompt.trim(),
    duration: value.duration,
    samplerate: value.samplerate,
    quality: value.quality,
    variations: value.variations,
  };
  if (value.seedMode === 'fixed' && value.seed !== null && Number.isInteger(value.seed) && value.seed >= 0 && value.seed <= SEED_MAX) request.seed = value.seed;
  if (value.engine) request.engine = value.engine;
  if (referenceId) request.reference_id = referenceId;
  if (value.loop && loopAllowed) request.loop = true;
  return request;
}

/**
 * The form as it was for a job (to show a job's request again, e.g. after it failed or to
 * tweak it). `seedMode`: how the seed was chosen; with Random the seed the server drew is
 * not kept, so the next Create draws a new one.
 */
export function formValueFromJob(job: GenerationResponse, seedMode: SeedMode = 'random'): GenerateFormValue {
  return {
    prompt: job.prompt,
    duration: job.params.duration,
    seedMode,
    seed: seedMode === 'fixed' ? job.params.seed : null,
    quality: job.params.quality,
    samplerate: job.params.samplerate,
    variations: job.params.variations,
    engine: job.engine ?? '',
    loop: job.params.loop === true,
  };
}
