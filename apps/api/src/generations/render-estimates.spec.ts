import { DEFAULT_MODEL, PRIOR_MODELS, modelFor, priorModel, queuedEtaSeconds, renderSeconds, runningEtaSeconds, toModel, toRenderRates, type MeasuredKind } from './render-estimates';

const measured = (overrides: Partial<MeasuredKind>): MeasuredKind => ({ engine: 'offline', quality: 'draft', jobs: 3, meanRun: 3, meanSeconds: 6, slope: 0.25, intercept: 1.5, ...overrides });

describe('render estimates', () => {
  const rates = toRenderRates([measured({}), measured({ engine: 'space', quality: 'high', jobs: 1, meanRun: 40, meanSeconds: 10, slope: null, intercept: null })]);

  it('fits run time = fixed + per-second × seconds per engine and quality', () => {
    expect(modelFor(rates, { engine: 'offline', quality: 'draft' })).toEqual({ fixed: 1.5, perSecond: 0.25 });
    expect(renderSeconds(rates, { engine: 'offline', quality: 'draft' }, 10)).toBe(4);
    expect(renderSeconds(rates, { engine: 'offline', quality: 'draft' }, 10, 2)).toBe(5.5);
  });

  it('spreads the mean run time over the mean length when no line fits (one length, one job, a negative part)', () => {
    expect(modelFor(rates, { engine: 'space', quality: 'high' })).toEqual({ fixed: 0, perSecond: 4 });
    expect(toModel(measured({ slope: -0.1, intercept: 4 }))).toEqual({ fixed: 0, perSecond: 0.5 });
    expect(toModel(measured({ slope: 1, intercept: -2 }))).toEqual({ fixed: 0, perSecond: 0.5 });
    expect(toModel(measured({ meanRun: Number.NaN }))).toBeNull();
  });

  it('uses the engine’s prior for a kind not measured yet, before anything measured of other engines', () => {
    expect(modelFor(rates, { engine: 'offline', quality: 'high' })).toEqual(PRIOR_MODELS['offline'].high);
    expect(modelFor(rates, { engine: 'gradio', quality: 'high' })).toEqual(PRIOR_MODELS['gradio'].high);
  });

  it('gives a first job an estimate of its engine’s speed: seconds for the offline engine, longer for a Space', () => {
    const none = toRenderRates([]);
    // the offline engine renders 30–100× faster than real time (bench/offline-engine)
    expect(renderSeconds(none, { engine: 'offline', quality: 'draft' }, 10)).toBeCloseTo(1.1, 6);
    expect(renderSeconds(none, { engine: 'offline', quality: 'standard' }, 30)).toBeCloseTo(1.9, 6);
    expect(renderSeconds(none, { engine: 'offline', quality: 'high' }, 300)).toBeCloseTo(13, 6);
    // a job that names no quality renders as a draft
    expect(priorModel({ engine: 'offline', quality: null })).toEqual(PRIOR_MODELS['offline'].draft);
    expect(renderSeconds(none, { engine: 'gradio', quality: 'standard' }, 10)).toBe(35);
    // each quality costs at least as much as the one below it
    for (const engine of Object.keys(PRIOR_MODELS)) {
      const [draft, standard, high] = (['draft', 'standard', 'high'] as const).map((q) => renderSeconds(none, { engine, quality: q }, 30));
      expect(draft).toBeLessThanOrEqual(standard);
      expect(standard).toBeLessThanOrEqual(high);
    }
  });

  it('uses the job-weighted model over every kind for an engine without a prior, and a default before anything is measured', () => {
    expect(modelFor(rates, { engine: 'space', quality: 'draft' })).toEqual({ fixed: (1.5 * 3) / 4, perSecond: (0.25 * 3 + 4) / 4 });
    expect(modelFor(toRenderRates([]), { engine: 'space', quality: 'draft' })).toEqual(DEFAULT_MODEL);
    expect(priorModel({ engine: null, quality: 'draft' })).toBeNull();
  });

  it('adds what running jobs have left to the queued work up to the job, shared between workers', () => {
    const queued = [
      { engine: 'offline', quality: 'draft', jobs: 6, seconds: 24 }, // 6 × 1.5 + 24 × 0.25 = 15
      { engine: 'space', quality: 'high', jobs: 1, seconds: 2 }, // 8
    ];
    const running = [
      { engine: 'offline', quality: 'draft', seconds: 10, elapsedSeconds: 1 }, // 4 − 1 = 3
      { engine: 'offline', quality: 'draft', seconds: 4, elapsedSeconds: 30 }, // overdue: 0
    ];
    expect(queuedEtaSeconds(rates, queued, running, 1)).toBe(26);
    expect(queuedEtaSeconds(rates, queued, running, 2)).toBe(13);
    expect(queuedEtaSeconds(rates, queued, running, 0)).toBe(26);
  });

  it('counts a running job down from its expected run time, never below zero', () => {
    expect(runningEtaSeconds(rates, { engine: 'space', quality: 'high', seconds: 5, elapsedSeconds: 12 })).toBe(8);
    expect(runningEtaSeconds(rates, { engine: 'space', quality: 'high', seconds: 5, elapsedSeconds: 25 })).toBe(0);
  });
});
