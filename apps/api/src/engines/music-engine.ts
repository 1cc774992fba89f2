import type { EngineDescription, GenerationErrorCode, Quality, SamplingParams } from '@texttune/contracts';
import type { Readable } from 'node:stream';
import type { UserTokenSource } from './gradio/user-tokens';

/** What a worker asks an engine to render: one take. */
export interface EngineRequest {
  prompt: string;
  durationSeconds: number;
  sampleRate: number;
  seed: number;
  quality: Quality;
  sampling: SamplingParams;
  /** 0-based take of a multi-variation job */
  take: number;
  userId: string;
  /** the user's reference (melody) audio, for engines whose `supports.referenceAudio`; absent or null when none */
  referenceAudio?: ReferenceAudio | null;
  /** a seamless loop, for engines whose `supports.loop` */
  loop?: boolean;
}

/** Reference (melody) audio for a request; the API checked that it is audio and not too big. */
export interface ReferenceAudio {
  body: Buffer;
  fileName?: string;
  mimeType?: string;
}

/** Progress an engine reports while it works; any field may be omitted. */
export interface EngineProgress {
  /** 0…1 of this take */
  progress?: number;
  /** place in the engine's own queue (a Space's) */
  position?: number | null;
  etaSeconds?: number | null;
}

export interface EngineRunContext {
  /** aborted when the user cancels or the job times out: stop promptly */
  signal: AbortSignal;
  onProgress(update: EngineProgress): void;
}

/** The audio an engine produced. Format, duration and rate are read from the bytes by the worker. */
export interface EngineAudio {
  body: Buffer | Readable;
  /** what the engine says it is; the sniffed format wins */
  mimeType?: string;
  /** the engine's interpretation of the prompt, shown to the user */
  promptExpanded?: string;
  metadata: Record<string, unknown>;
  /** the id of the engine that actually rendered it, when another stepped in (ENGINE_FALLBACK) */
  renderedBy?: string;
}

/**
 * The port every music engine implements (offline composer, Gradio Space, …).
 * An engine must not throw anything but {@link EngineError} for failures it understands;
 * anything else becomes `engine_error`.
 */
export interface MusicEngine {
  readonly id: string;
  describe(): Promise<EngineDescription> | EngineDescription;
  generate(request: EngineRequest, context: EngineRunContext): Promise<EngineAudio>;
  /** Releases connections (a Space's client); called once at shutdown, after the workers drained. */
  close?(): Promise<void> | void;
  /** Engines that can call their backend with a user's own credential take the store of them here, once at boot. */
  useUserTokens?(source: UserTokenSource): void;
}

/** A failure with a stable code, a sentence for the user, and whether retrying may help. */
export class EngineError extends Error {
  constructor(
    readonly code: GenerationErrorCode,
    message: string,
    readonly transient = false,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export const ENGINES = Symbol('MUSIC_ENGINES');

/** Injection token of the {@link UserTokenSource} the engines read users' own tokens from (provided by a feature module). */
export const USER_TOKEN_SOURCE = Symbol('USER_TOKEN_SOURCE');
