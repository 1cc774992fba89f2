import { composeRequest } from '@texttune/composer';
import type { TrackEntity } from '../tracks/track.entity';
import { hasParts, renderRequestOf, reproducibleRequest } from './part-renditions';

const track = (overrides: Partial<TrackEntity> = {}): TrackEntity =>
  ({
    engine: 'offline',
    format: 'wav',
    promptRaw: '비 오는 날의 재즈 피아노',
    params: { duration: 8, samplerate: 32000, seed: 42, quality: 'high', variations: 1, take: 0 },
    sampleRate: 32000,
    durationSeconds: 8,
    engineMeta: {},
    ...overrides,
  }) as TrackEntity;

describe('part renditions', () => {
  it('offers parts for the offline composer\u2019s WAV tracks only', () => {
    expect(hasParts(track())).toBe(true);
    expect(hasParts(track({ engine: 'gradio' }))).toBe(false);
    expect(hasParts(track({ format: 'mp3' }))).toBe(false);
  });

  it('rebuilds the request from what the track records', () => {
    expect(renderRequestOf(track())).toEqual({ prompt: '비 오는 날의 재즈 피아노', durationSeconds: 8, sampleRate: 32000, seed: 42, quality: 'high' });
  });

  it('uses the English prompt the composer read when it stood in for an English-only Space', () => {
    const fallback = track({ engineMeta: { prompt_language: { original: '비 오는 날의 재즈 피아노', english: 'rainy day jazz piano', method: 'glossary' } } });
    expect(renderRequestOf(fallback).prompt).toBe('rainy day jazz piano');
  });

  it('accepts a track whose stored plan the composer makes again, and refuses one it does not', () => {
    const { plan } = composeRequest(renderRequestOf(track()));
    expect(reproducibleRequest(track({ engineMeta: { plan } })).seed).toBe(42);
    expect(() => reproducibleRequest(track({ engineMeta: { plan: { ...plan, tempoBpm: plan.tempoBpm + 1 } } }))).toThrow(/another version of the offline composer/);
  });
});
