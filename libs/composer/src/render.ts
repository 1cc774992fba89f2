/**
 * The offline engine's entry point: prompt → plan → score → synthesis → master
 * → WAV, asynchronously and in chunks so a server stays responsive, with
 * progress, cancellation and byte-identical output for identical requests.
 */
import { compose } from './compose/compose';
import { loopTempo } from './compose/form';
import { STYLES } from './compose/styles';
import { Score } from './compose/score';
import { master, MasterInPlace, MixAnalysis, wavOverLeftChannel } from './master/master';
import { loopTailSeconds, masterCyclically, wrapTail } from './loop';
import { MusicPlan } from './plan';
import { describePlan } from './prompt/describe';
import { interpretPrompt } from './prompt/interpret';
import { Quality, QUALITY } from './quality';
import { loadSoundFont, SoundFont } from './soundfont/bank';
import { prepareSampledParts } from './soundfont/prepare';
import { synthesize } from './synth/engine';

export const SUPPORTED_SAMPLE_RATES = [16000, 22050, 24000, 32000, 44100, 48000] as const;
/** the longest piece the engine composes */
export const MAX_DURATION_SECONDS = 300;

export interface RenderRequest {
  prompt: string;
  durationSeconds: number;
  sampleRate: number;
  seed: number;
  quality: Quality;
  /** a seamless loop: whole bars (the tempo is fitted to them), no fades, the tail wrapped onto the start */
  loop?: boolean;
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
  if (req.loop !== undefined && typeof req.loop !== 'boolean') throw new TypeError(`loop must be a boolean, got ${String(req.loop)}`);
  if (!(req.quality in QUALITY)) throw new RangeError(`quality must be draft, standard or high, got ${String(req.quality)}`);
}

/** Paces a long computation: progress reports, cancellation checks and event-loop yields. */
export class Pacer {
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

/** The request's plan and score: what every rendering of it (the mix, its stems, its MIDI) starts from. */
export function composeRequest(req: RenderRequest): { plan: MusicPlan; score: Score } {
  validate(req);
  const loop = req.loop === true;
  const interpreted = interpretPrompt(req.prompt, req.seed);
  const plan: MusicPlan = loop
    ? { ...interpreted, tempoBpm: loopTempo(interpreted.tempoBpm, interpreted.beatsPerBar, req.durationSeconds), loop: true }
    : interpreted;
  const score = compose(plan, req.durationSeconds, { loop });
  plan.form = score.sections;
  return { plan, score };
}

/**
 * The SoundFont a request's quality plays its acoustic parts with (none for the
 * all-synthesised draft), its samples decoded for this score: the mix and the
 * stems both synthesise through it.
 */
export async function sampledInstruments(
  req: RenderRequest,
  plan: MusicPlan,
  score: Score,
  opts: RenderOptions,
  step: () => Promise<void>,
): Promise<SoundFont | undefined> {
  if (!QUALITY[req.quality].sampled) return undefined;
  const soundFont = await (opts.soundFont ?? loadSoundFont());
  await step();
  await prepareSampledParts(soundFont, score, plan, STYLES[plan.genre], req.sampleRate, step);
  return soundFont;
}

export async function renderMusic(req: RenderRequest, opts: RenderOptions = {}): Promise<RenderResult> {
  validate(req);
  const pacer = new Pacer(opts);
  await pacer.step(0);
  const loop = req.loop === true;
  const { plan, score } = composeRequest(req);
  const quality = QUALITY[req.quality];
  const soundFont = await sampledInstruments(req, plan, score, opts, () => pacer.step(0));
  const style = STYLES[plan.genre];
  const frames = Math.round(req.durationSeconds * req.sampleRate);
  // A loop is rendered on past its end, and what rings there is wrapped onto its start.
  const rendered = loop ? frames + Math.round(loopTailSeconds(plan, style) * req.sampleRate) : frames;
  // A piece's WAV is written over its left channel (see MasterInPlace); a loop's mix is wrapped first.
  const shared = loop ? undefined : wavOverLeftChannel(frames);
  const left = shared ? shared.left : new Float32Array(rendered);
  const right = new Float32Array(rendered);
  // The mix is measured for mastering block by block, as it is synthesised (a loop's only once wrapped).
  const analysis = loop ? undefined : new MixAnalysis(left, right, req.sampleRate);
  const mix = (target: { left: Float32Array; right: Float32Array }, afterBlock: (done: number) => Promise<void>) =>
    synthesize(score, plan, style, quality, { ...target, sampleRate: req.sampleRate }, afterBlock, soundFont);
  await mix({ left, right }, (done) => {
    analysis?.measureTo(done);
    return pacer.step((SYNTHESIS_SHARE * done) / rendered);
  });
  const afterChunk = (fraction: number) => pacer.step(SYNTHESIS_SHARE + (1 - SYNTHESIS_SHARE) * fraction);
  let mastered;
  if (loop) {
    mastered = await masterCyclically(wrapTail(left, frames), wrapTail(right, frames), req.sampleRate, (l, r) => master(l, r, req.sampleRate, afterChunk));
  } else {
    const inPlace: MasterInPlace | undefined = shared && {
      wav: shared.wav,
      remix: async () => {
        const again = { left: new Float32Array(frames), right: new Float32Array(frames) };
        await mix(again, () => pacer.step(SYNTHESIS_SHARE));
        return again;
      },
    };
    mastered = await master(left, right, req.sampleRate, afterChunk, analysis, inPlace);
  }
  const { wav, loudnessLufs, truePeakDbtp } = mastered;
  await pacer.step(1);
  return { wav, plan, description: describePlan(plan), frames, sampleRate: req.sampleRate, channels: 2, loudnessLufs, truePeakDbtp };
}
