/**
 * The offline engine's entry point: prompt → plan → score → synthesis → master
 * → WAV, asynchronously and in chunks so a server stays responsive, with
 * progress, cancellation and byte-identical output for identical requests.
 */
import { compose } from './compose/compose';
import { STYLES } from './compose/styles';
import { master, MixAnalysis } from './master/master';
import { MusicPlan } from './plan';
import { describePlan } from './prompt/describe';
import { interpretPrompt } from './prompt/interpret';
import { Quality, QUALITY } from './quality';
import { loadSoundFont, SoundFont } from './soundfont/bank';
import { prepareSampledParts } from './soundfont/prepare';
import { synthesize } from './synth/engine';

export const SUPPORTED_SAMPLE_RATES = [16000, 22050, 24000, 32000, 44100, 48000] as const;
export const MAX_DURATION_SECONDS = 600;

export interface RenderRequest {
  prompt: string;
  durationSeconds: number;
  sampleRate: number;
  seed: number;
  quality: Quality;
}

export interface RenderOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /**
   * The SoundFont the standard and high qualities play their acoustic parts with
   * (see loadSoundFont); the bundled bank when omitted.
   */
  soundFont?: SoundFont | Promise<SoundFont>;
}

export interface RenderResult {
  wav: Buffer;
  plan: MusicPlan;
  description: string;
  frames: number;
  sampleRate: number;
  channels: 2;
  loudnessLufs: number;
  truePeakDbtp: number;
}

/** Share of the progress bar taken by synthesis; mastering takes the rest. */
const SYNTHESIS_SHARE = 0.8;
/** Yield to the event loop after this much uninterrupted work. */
const YIELD_AFTER_MS = 40;
/** Report progress at most every 2 %. */
const PROGRESS_STEP = 0.02;

export function abortError(): Error {
  const error = new Error('render aborted');
  error.name = 'AbortError';
  return error;
}

function validate(req: RenderRequest): void {
  if (typeof req.prompt !== 'string') throw new TypeError('prompt must be a string');
  if (!Number.isFinite(req.durationSeconds) || req.durationSeconds <= 0 || req.durationSeconds > MAX_DURATION_SECONDS) {
    throw new RangeError(`durationSeconds must be in (0, ${MAX_DURATION_SECONDS}], got ${req.durationSeconds}`);
  }
  if (!(SUPPORTED_SAMPLE_RATES as readonly number[]).includes(req.sampleRate)) {
    throw new RangeError(`sampleRate must be one of ${SUPPORTED_SAMPLE_RATES.join(', ')}, got ${req.sampleRate}`);
  }
  if (!Number.isFinite(req.seed)) throw new RangeError(`seed must be a finite number, got ${req.seed}`);
  if (!(req.quality in QUALITY)) throw new RangeError(`quality must be draft, standard or high, got ${String(req.quality)}`);
}

/** Paces a long computation: progress reports, cancellation checks and event-loop yields. */
class Pacer {
  private lastYield = performance.now();
  private reported = -1;

  constructor(private readonly opts: RenderOptions) {}

  async step(fraction: number): Promise<void> {
    if (this.opts.signal?.aborted) throw abortError();
    if (this.opts.onProgress && (fraction >= this.reported + PROGRESS_STEP || (fraction >= 1 && this.reported < 1))) {
      this.reported = fraction;
      this.opts.onProgress(fraction);
    }
    if (performance.now() - this.lastYield >= YIELD_AFTER_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = performance.now();
      if (this.opts.signal?.aborted) throw abortError();
    }
  }
}

export async function renderMusic(req: RenderRequest, opts: RenderOptions = {}): Promise<RenderResult> {
  validate(req);
  const pacer = new Pacer(opts);
  await pacer.step(0);
  const quality = QUALITY[req.quality];
  const soundFont = quality.sampled ? await (opts.soundFont ?? loadSoundFont()) : undefined;
  await pacer.step(0);
  const plan = interpretPrompt(req.prompt, req.seed);
  const score = compose(plan, req.durationSeconds);
  if (soundFont) await prepareSampledParts(soundFont, score, plan, STYLES[plan.genre], req.sampleRate, () => pacer.step(0));
  const frames = Math.round(req.durationSeconds * req.sampleRate);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  // The mix is measured for mastering block by block, as it is synthesised.
  const analysis = new MixAnalysis(left, right, req.sampleRate);
  await synthesize(
    score,
    plan,
    STYLES[plan.genre],
    quality,
    { left, right, sampleRate: req.sampleRate },
    (done) => {
      analysis.measureTo(done);
      return pacer.step((SYNTHESIS_SHARE * done) / frames);
    },
    soundFont,
  );
  const { wav, loudnessLufs, truePeakDbtp } = await master(left, right, req.sampleRate, (fraction) => pacer.step(SYNTHESIS_SHARE + (1 - SYNTHESIS_SHARE) * fraction), analysis);
  await pacer.step(1);
  return { wav, plan, description: describePlan(plan), frames, sampleRate: req.sampleRate, channels: 2, loudnessLufs, truePeakDbtp };
}
