import type { EngineDescription } from '@texttune/contracts';
import { addToPrompt } from '../../core/examples';
import { FALLBACK_MAX_DURATION, acceptsLoop, defaultFormValue, durationLimit, formValueFromJob, selectableEngines, toCreateRequest } from './generate-form';
import { job } from '../../../testing';

const engine = (id: string, extra: Partial<EngineDescription> = {}): EngineDescription => ({
  id,
  kind: 'offline',
  label: id,
  ready: true,
  reason: null,
  default: false,
  supports: { samplingParams: [], referenceAudio: false, needsEnglish: false, maxDurationSeconds: null },
  details: {},
  ...extra,
});

describe('the generate form', () => {
  it('sends only what was chosen: a fixed seed, a non-default engine', () => {
    const value = { ...defaultFormValue(12), prompt: '  calm piano  ', duration: 6 };
    expect(toCreateRequest(value)).toEqual({ prompt: 'calm piano', duration: 6, samplerate: 44100, quality: 'draft', variations: 1 });
    expect(toCreateRequest({ ...value, seedMode: 'fixed', seed: 42, engine: 'space', variations: 3 })).toEqual({ prompt: 'calm piano', duration: 6, samplerate: 44100, quality: 'draft', variations: 3, seed: 42, engine: 'space' });
    expect(toCreateRequest({ ...value, seedMode: 'fixed', seed: null }).seed).toBeUndefined();
    expect(toCreateRequest({ ...value, seedMode: 'random', seed: 42 }).seed).toBeUndefined();
  });

  it('offers and sends a loop only for an engine whose supports.loop is true', () => {
    const value = { ...defaultFormValue(12), prompt: 'drum loop', duration: 8, loop: true };
    expect(acceptsLoop(engine('offline', { supports: { samplingParams: [], referenceAudio: false, needsEnglish: false, maxDurationSeconds: null, loop: true } }))).toBe(true);
    expect(acceptsLoop(engine('space'))).toBe(false); // missing: no
    expect(acceptsLoop(engine('offline', { ready: false, supports: { samplingParams: [], referenceAudio: false, needsEnglish: false, maxDurationSeconds: null, loop: true } }))).toBe(false);
    expect(acceptsLoop(undefined)).toBe(false);
    expect(toCreateRequest(value, null, true).loop).toBe(true);
    expect(toCreateRequest(value, null, false)).not.toHaveProperty('loop');
    expect(toCreateRequest({ ...value, loop: false }, null, true)).not.toHaveProperty('loop');
    expect(defaultFormValue(null).loop).toBe(false);
  });

  it('defaults the duration to 10 s or the server max, whichever is smaller', () => {
    expect(defaultFormValue(null).duration).toBe(10);
    expect(defaultFormValue(6).duration).toBe(6);
  });

  it('bounds the duration by the server max and the engine’s own limit', () => {
    expect(durationLimit(null, undefined)).toBe(FALLBACK_MAX_DURATION);
    expect(durationLimit(12, engine('offline'))).toBe(12);
    expect(durationLimit(120, engine('space', { supports: { samplingParams: [], referenceAudio: false, needsEnglish: true, maxDurationSeconds: 30 } }))).toBe(30);
  });

  it('offers only ready engines, the default first', () => {
    const list = [engine('a'), engine('b', { default: true }), engine('c', { ready: false })];
    expect(selectableEngines(list).map((e) => e.id)).toEqual(['b', 'a']);
  });

  it('refills the form from a job (same seed)', () => {
    expect(formValueFromJob(job({ prompt: 'x', engine: 'offline' }), 'fixed')).toEqual({ prompt: 'x', duration: 5, seedMode: 'fixed', seed: 7, quality: 'draft', samplerate: 44100, variations: 1, engine: 'offline', loop: false });
  });

  it('adds chip words to the prompt once', () => {
    expect(addToPrompt('', 'piano')).toBe('piano');
    expect(addToPrompt('calm,', 'piano')).toBe('calm, piano');
    expect(addToPrompt('calm, Piano', 'piano')).toBe('calm, Piano');
  });
});
