import { loadSoundFont, MAX_DURATION_SECONDS, renderMusic, type SoundFont } from '@texttune/composer';
import type { EngineDescription } from '@texttune/contracts';
import { EngineError, type EngineAudio, type EngineRequest, type EngineRunContext, type MusicEngine } from '../music-engine';

export const OFFLINE_ENGINE_ID = 'offline';

/**
 * TextTune's own composer and synthesizer (`@texttune/composer`): no network, no model
 * weights. Understands English and Korean prompts directly; the interpreted plan becomes
 * the track's extended prompt.
 */
export class OfflineEngine implements MusicEngine {
  readonly id = OFFLINE_ENGINE_ID;
  /**
   * The SoundFont its standard and high qualities play, parsed once per process as the
   * engine is created and shared by every job (SOUNDFONT_PATH was checked at boot).
   */
  private readonly soundFont: Promise<SoundFont>;

  constructor(options: { soundFontPath?: string } = {}) {
    this.soundFont = loadSoundFont(options.soundFontPath);
    // A bank that fails to parse fails each job that needs it, with the reason; not the process.
    this.soundFont.catch(() => undefined);
  }

  describe(): EngineDescription {
    return {
      id: this.id,
      kind: 'offline',
      label: 'TextTune offline composer',
      ready: true,
      reason: null,
      default: false,
      supports: { samplingParams: [], referenceAudio: false, needsEnglish: false, maxDurationSeconds: MAX_DURATION_SECONDS, loop: true },
      details: { languages: ['en', 'ko'], output: 'wav, 16-bit stereo, mastered to -14 LUFS' },
    };
  }

  async generate(request: EngineRequest, context: EngineRunContext): Promise<EngineAudio> {
    try {
      const result = await renderMusic(
        { prompt: request.prompt, durationSeconds: request.durationSeconds, sampleRate: request.sampleRate, seed: request.seed, quality: request.quality, loop: request.loop === true },
        { signal: context.signal, onProgress: (fraction) => context.onProgress({ progress: fraction }), soundFont: this.soundFont },
      );
      return {
        body: result.wav,
        mimeType: 'audio/wav',
        promptExpanded: result.description,
        metadata: { plan: result.plan, loudness_lufs: round(result.loudnessLufs, 2), true_peak_dbtp: round(result.truePeakDbtp, 2) },
      };
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw new EngineError('canceled', 'The render was stopped.');
      throw new EngineError('engine_error', `The offline engine could not render this request: ${(error as Error).message}`);
    }
  }
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
