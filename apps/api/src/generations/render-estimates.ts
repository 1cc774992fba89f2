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

/** Until anything has been measured: 2 s of render per second of audio (a 10 s draft in 20 s). */
export const DEFAULT_MODEL: RenderModel = { fixed: 0, perSecond: 2 };

export const renderKey = (kind: RenderKind): string => `${kind.engine ?? ''}|${kind.quality ?? ''}`;

export function modelFor(rates: RenderRates, kind: RenderKind): RenderModel {
  return rates.byKind.get(renderKey(kind)) ?? rates.overall ?? DEFAULT_MODEL;
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
