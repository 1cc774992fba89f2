import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { EngineDescription } from '@texttune/contracts';
import { ApiError } from '../common/api-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ENGINES, type MusicEngine } from './music-engine';

/**
 * The engines this process has, and which one is the default: DEFAULT_ENGINE if set,
 * else the first registered (the Gradio engine when HF_SPACE_ID is set, else the
 * offline engine).
 */
@Injectable()
export class EngineRegistry implements OnApplicationShutdown {
  private readonly byId = new Map<string, MusicEngine>();

  constructor(
    @Inject(ENGINES) engines: MusicEngine[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    for (const engine of engines) this.byId.set(engine.id, engine);
  }

  /** Closes the engines' connections (Nest runs this after the workers have drained). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.byId.values()].map(async (engine) => engine.close?.()));
  }

  get defaultId(): string | undefined {
    const configured = this.config.generation.defaultEngine;
    if (configured && this.byId.has(configured)) return configured;
    return this.byId.keys().next().value;
  }

  /** The engine for a request: the named one, or the default; 400 when unknown. */
  resolve(id?: string): MusicEngine {
    const engineId = id ?? this.defaultId;
    const engine = engineId ? this.byId.get(engineId) : undefined;
    if (!engine) {
      throw new ApiError(400, 'engine_not_found', id ? `There is no engine "${id}"; GET /v1/engines lists them.` : 'No music engine is configured on this server.', {
        engines: [...this.byId.keys()],
      });
    }
    return engine;
  }

  /** The engine a job recorded, even if it is no longer the default. */
  get(id: string): MusicEngine | undefined {
    return this.byId.get(id);
  }

  async describeAll(): Promise<EngineDescription[]> {
    const defaultId = this.defaultId;
    return Promise.all(
      [...this.byId.values()].map(async (engine) => {
        try {
          return { ...(await engine.describe()), default: engine.id === defaultId };
        } catch (error) {
          return {
            id: engine.id,
            kind: 'offline' as const,
            label: engine.id,
            ready: false,
            reason: `could not describe the engine: ${(error as Error).message}`,
            default: engine.id === defaultId,
            supports: { samplingParams: [], referenceAudio: false, needsEnglish: false, maxDurationSeconds: null, loop: false },
            details: {},
          };
        }
      }),
    );
  }
}
