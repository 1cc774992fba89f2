import { QUALITIES, type Quality } from '@texttune/contracts';

/**
 * How long jobs take, from how long recent ones took. A job's run time is a fixed part
 * (loading, storing, measuring the audio) plus a part that grows with the seconds of audio
 * asked for, and both differ a lot between engines and qualities (the offline engine's
 * draft against a Space's high quality). So each engine and quality gets its own line,
 * run ≈ fixed + perSecond × seconds, fitted to that pair's recent jobs.
 */

/** Engine and quality: what a render time is measured for. */
export interface RenderKind {
  engine: string | null;
  quality: string | null;
}

/** Queued jobs of one kind, as counted in one statement. */
export interface QueuedWork extends RenderKind {
  jobs: number;
  /** seconds of audio they ask for */
  seconds: number;
}

/** A job being rendered now. */
export interface RunningWork extends RenderKind {
  seconds: number;
  elapsedSeconds: number;
}

/** Run time of a job = fixed + perSecond × seconds of audio. */
export interface RenderModel {
  fixed: number;
  perSecond: number;
}

export interface RenderRates {
  byKind: ReadonlyMap<string, RenderModel>;
  /** over every kind measured (weighted by jobs), for a kind not measured yet */
  overall: RenderModel | null;
}

/** What one engine and quality's recent jobs measured (one row of the grouped statement). */
export interface MeasuredKind extends RenderKind {
  jobs: number;
  /** mean run time (s) and mean seconds of audio */
  meanRun: number;
  meanSeconds: number;
  /** least-squares line of run time over seconds of audio; null when every job asked for the same length */
  slope: number | null;
  intercept: number | null;
}

/** For an engine this module has no prior for: 2 s of render per second of audio (a 10 s draft in 20 s). */
export const DEFAULT_MODEL: RenderModel = { fixed: 0, perSecond: 2 };

/**
 * What a job takes before any job of its engine and quality has been measured here.
 * - `offline`: bench/offline-engine renders 30 s on one core (CPU time) at ≥ 100× real time
 *   on the all-synthesised draft path (run.cjs), 34–91× on standard's sampled path
 *   (sampled.cjs), and high resamples those samples with hermite, about 1.25× slower than
 *   standard's linear (libs/composer/src/quality.ts). Each prior takes the slow end (draft
 *   100×, standard 34×, high 27×: 0.01, 0.03, 0.04 s per second of audio) and adds 1 s for
 *   the job's steps around the render (storing the file, its peaks and loudness), a round
 *   allowance no bench measures.
 * - `gradio` (a Hugging Face Space): no bench here times a real Space (bench/space times
 *   only what TextTune adds over a fake one). A Space waits for its GPU and loads its model
 *   before it renders, so the prior keeps 2 s per second of audio and adds 15 s: a guess on
 *   the slow side (an estimate that ends early reads as a broken promise).
 * Measured times replace a prior as soon as the pair has one finished job.
 */
export const PRIOR_MODELS: Readonly<Record<string, Readonly<Record<Quality, RenderModel>>>> = {
  offline: {
    draft: { fixed: 1, perSecond: 0.01 },
    standard: { fixed: 1, perSecond: 0.03 },
    high: { fixed: 1, perSecond: 0.04 },
  },
  gradio: {
    draft: { fixed: 15, perSecond: 2 },
    standard: { fixed: 15, perSecond: 2 },
    high: { fixed: 15, perSecond: 2 },
  },
};

export const renderKey = (kind: RenderKind): string => `${kind.engine ?? ''}|${kind.quality ?? ''}`;

/** The prior of a kind's engine and quality (a job that names no quality is a draft), or null for an engine without one. */
export function priorModel(kind: RenderKind): RenderModel | null {
  const byQuality = kind.engine ? PRIOR_MODELS[kind.engine] : undefined;
  if (!byQuality) return null;
  const quality = (QUALITIES as readonly string[]).includes(kind.quality ?? '') ? (kind.quality as Quality) : 'draft';
  return byQuality[quality];
}

/** The kind's measured line; else its engine's prior; else the mean over every kind measured; else DEFAULT_MODEL. */
export function modelFor(rates: RenderRates, kind: RenderKind): RenderModel {
  return rates.byKind.get(renderKey(kind)) ?? priorModel(kind) ?? rates.overall ?? DEFAULT_MODEL;
}

/** The expected run time of one job (seconds). */
export function renderSeconds(rates: RenderRates, kind: RenderKind, audioSeconds: number, jobs = 1): number {
  const model = modelFor(rates, kind);
  return model.fixed * jobs + model.perSecond * audioSeconds;
}

/**
 * Seconds until a queued job is done: what the running jobs have left, plus the queued
 * work up to and including this job, shared between the workers (each takes the next
 * job when it finishes one).
 */
export function queuedEtaSeconds(rates: RenderRates, queued: readonly QueuedWork[], running: readonly RunningWork[], concurrency: number): number {
  const left = running.reduce((sum, job) => sum + runningEtaSeconds(rates, job), 0);
  const work = queued.reduce((sum, group) => sum + renderSeconds(rates, group, group.seconds, group.jobs), 0);
  return (left + work) / Math.max(1, concurrency);
}

/** Seconds a running job has left by its kind's measured times (never negative). */
export function runningEtaSeconds(rates: RenderRates, job: RunningWork): number {
  return Math.max(0, renderSeconds(rates, job, job.seconds) - job.elapsedSeconds);
}

/**
 * A kind's model: the fitted line when there is one that makes sense (neither part
 * negative); otherwise its mean run time spread over its mean length.
 */
export function toModel(measured: MeasuredKind): RenderModel | null {
  if (!(measured.jobs > 0) || !(measured.meanRun > 0) || !(measured.meanSeconds > 0)) return null;
  if (measured.jobs >= 2 && measured.slope !== null && measured.intercept !== null && measured.slope >= 0 && measured.intercept >= 0) {
    return { fixed: measured.intercept, perSecond: measured.slope };
  }
  return { fixed: 0, perSecond: measured.meanRun / measured.meanSeconds };
}

export function toRenderRates(rows: readonly MeasuredKind[]): RenderRates {
  const byKind = new Map<string, RenderModel>();
  let jobs = 0;
  const sum = { fixed: 0, perSecond: 0 };
  for (const row of rows) {
    const model = toModel(row);
    if (!model) continue;
    byKind.set(renderKey(row), model);
    jobs += row.jobs;
    sum.fixed += model.fixed * row.jobs;
    sum.perSecond += model.perSecond * row.jobs;
  }
  return { byKind, overall: jobs ? { fixed: sum.fixed / jobs, perSecond: sum.perSecond / jobs } : null };
}
