import { TestBed } from '@angular/core/testing';
import { TranslocoService } from '@jsverse/transloco';
import { translocoTesting } from '../../testing';
import { describePlan, planFrom } from './interpretation';

const plan = { genre: 'lofi', moods: ['calm', 'dreamy'], tempoBpm: 82, key: { tonic: 9, mode: 'minor', name: 'A minor' }, beatsPerBar: 4, instruments: ['piano', 'bass', 'drums', 'vinyl'], drums: 'light', energy: 0.3, brightness: 0.4, density: 0.5, swing: 0.1, seed: 1 };

describe('the engine’s interpretation, in the reader’s language', () => {
  let transloco: TranslocoService;
  const t = (lang: string) => (key: string, params?: Record<string, unknown>) => transloco.translate(key, params, lang);
  beforeEach(() => {
    TestBed.configureTestingModule({ imports: [translocoTesting] });
    transloco = TestBed.inject(TranslocoService);
  });

  it('reads the plan from engine_meta, and nothing that lacks its parts', () => {
    expect(planFrom({ plan })).toEqual(plan);
    expect(planFrom({})).toBeNull();
    expect(planFrom({ plan: { genre: 'lofi' } })).toBeNull();
    expect(planFrom(null)).toBeNull();
  });

  it('says in English what the offline engine says (its prompt_expanded)', () => {
    expect(describePlan(plan, t('en'))).toBe('lo-fi hip hop · 82 bpm · A minor · piano, bass, light drums, vinyl noise · calm, dreamy');
  });

  it('says it in Korean', () => {
    expect(describePlan(plan, t('ko'))).toBe('로파이 힙합 · 82 BPM · A 단조 · 피아노, 베이스, 가벼운 드럼, 바이닐 노이즈 · 잔잔한, 몽환적인');
  });

  it('shows a part the dictionary does not know as the engine named it', () => {
    expect(describePlan({ ...plan, genre: 'sea-shanty', beatsPerBar: 3, instruments: ['kazoo-choir'], drums: 'normal', moods: ['salty'] }, t('ko'))).toBe('sea shanty · 82 BPM · 3/4 · A 단조 · kazoo choir · salty');
  });
});
