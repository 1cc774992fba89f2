import type { EngineDescription } from '@texttune/contracts';
import { encodeWavPcm16 } from '@texttune/audio';
import { EngineError, type EngineAudio, type EngineRequest, type EngineRunContext, type MusicEngine } from '../../src/engines/music-engine';

export interface TestEngineBehaviour {
  /** time per take, spent in `steps` progress steps */
  takeMs?: number;
  /** alternatively: time per take per second of requested audio */
  msPerAudioSecond?: number;
  steps?: number;
  /** failures to throw, in order, before succeeding (each consumed by one call) */
  failures?: Error[];
  /** ignore the abort signal (a badly behaved engine) */
  ignoreAbort?: boolean;
  /** return these bytes instead of a WAV */
  output?: Buffer;
  ready?: boolean;
  /** what `supports.maxDurationSeconds` says (default null: no maximum of its own) */
  maxDurationSeconds?: number | null;
}

/**
 * A tiny engine for tests only: a sine WAV of the requested length and rate whose pitch
 * follows the seed, with configurable timing, progress and failures. Records every call.
 */
export class TestEngine implements MusicEngine {
  readonly calls: EngineRequest[] = [];
  readonly aborted: string[] = [];

  constructor(
    readonly id = 'test',
    public behaviour: TestEngineBehaviour = {},
  ) {}

  describe(): EngineDescription {
    return {
      id: this.id,
      kind: 'test',
      label: 'Test engine',
      ready: this.behaviour.ready ?? true,
      reason: this.behaviour.ready === false ? 'switched off by the test' : null,
      default: false,
      supports: { samplingParams: ['topK', 'temperature'], referenceAudio: false, needsEnglish: false, maxDurationSeconds: this.behaviour.maxDurationSeconds ?? null, loop: false },
      details: {},
    };
  }

  async generate(request: EngineRequest, context: EngineRunContext): Promise<EngineAudio> {
    this.calls.push(request);
    const failure = this.behaviour.failures?.shift();
    if (failure) throw failure;
    context.signal.addEventListener('abort', () => this.aborted.push(request.prompt), { once: true });
    const steps = this.behaviour.steps ?? 4;
    const takeMs = this.behaviour.takeMs ?? (this.behaviour.msPerAudioSecond ?? 0) * request.durationSeconds;
    const stepMs = takeMs / steps;
    for (let i = 1; i <= steps; i++) {
      if (stepMs > 0) await new Promise((r) => setTimeout(r, stepMs));
      if (context.signal.aborted && !this.behaviour.ignoreAbort) throw new EngineError('canceled', 'aborted');
      context.onProgress({ progress: i / steps });
    }
    if (this.behaviour.output) return { body: this.behaviour.output, metadata: { test: true } };
    const frames = Math.round(request.durationSeconds * request.sampleRate);
    const freq = 220 + (request.seed % 440);
    const left = new Float32Array(frames);
    for (let i = 0; i < frames; i++) left[i] = 0.3 * Math.sin((2 * Math.PI * freq * i) / request.sampleRate);
    return { body: encodeWavPcm16([left, left.slice()], request.sampleRate), promptExpanded: `test tone ${freq} Hz`, metadata: { freq } };
  }
}
