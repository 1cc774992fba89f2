import { GENRES, MusicPlan } from '../plan';
import { GENRE_PROMPTS } from '../testing/genre-prompts';
import { describePlan } from './describe';
import { extractFeatures, interpretPrompt } from './interpret';

describe('interpretPrompt', () => {
  it.each(Object.entries(GENRE_PROMPTS))('recognises %s', (genre, prompt) => {
    expect(interpretPrompt(prompt, 1).genre).toBe(genre);
  });

  it('keeps each genre in its own tempo range unless told otherwise', () => {
    const dnb = interpretPrompt('drum and bass', 3).tempoBpm;
    const ambient = interpretPrompt('ambient', 3).tempoBpm;
    expect(dnb).toBeGreaterThanOrEqual(165);
    expect(ambient).toBeLessThanOrEqual(80);
  });

  it('reads explicit tempo, and slow/fast words', () => {
    expect(interpretPrompt('house at 128 bpm', 1).tempoBpm).toBe(128);
    expect(interpretPrompt('템포 96 힙합', 1).tempoBpm).toBe(96);
    expect(interpretPrompt('slow jazz', 5).tempoBpm).toBeLessThan(interpretPrompt('fast jazz', 5).tempoBpm);
    expect(interpretPrompt('느린 재즈', 5).tempoBpm).toBe(interpretPrompt('slow jazz', 5).tempoBpm);
    expect(interpretPrompt('pop at 900 bpm', 1).tempoBpm).toBeLessThan(200); // nonsense is ignored
  });

  it.each([
    ['in A minor', 'A minor'],
    ['D major', 'D major'],
    ['F# minor ballad', 'F# minor'],
    ['Bb major funk', 'Bb major'],
    ['e flat major', 'Eb major'],
    ['F# 단조', 'F# minor'],
    ['C 장조', 'C major'],
    ['가단조', 'A minor'],
    ['올림바단조 발라드', 'F# minor'],
    ['내림마장조', 'Eb major'],
    ['A 마이너', 'A minor'],
  ])('reads the key in "%s"', (prompt, key) => {
    expect(interpretPrompt(prompt, 1).key.name).toBe(key);
  });

  it('treats "a minor key" as a mode, not as A minor', () => {
    const features = extractFeatures('a sad song in a minor key');
    expect(features.mode).toBe('minor');
    expect(features.tonic).toBeUndefined();
  });

  it('lets moods choose the mode when the key is open', () => {
    for (const seed of [1, 2, 3, 4]) {
      expect(interpretPrompt('sad piano', seed).key.mode).toBe('minor');
      expect(interpretPrompt('happy pop', seed).key.mode).toBe('major');
    }
  });

  it('takes instruments, negations and solo requests', () => {
    const solo = interpretPrompt('solo piano, no drums', 1);
    expect(solo.instruments).toEqual(['piano']);
    expect(solo.drums).toBe('none');
    expect(interpretPrompt('lo-fi with acoustic guitar and 808', 1).instruments).toEqual(expect.arrayContaining(['acoustic-guitar', '808']));
    expect(interpretPrompt('house without drums', 1).drums).toBe('none');
    expect(interpretPrompt('rock with heavy drums', 1).drums).toBe('heavy');
    expect(interpretPrompt('ambient with drums', 1).instruments).toContain('drums');
    expect(interpretPrompt('lo-fi, no vinyl', 1).instruments).not.toContain('vinyl');
    expect(interpretPrompt('피아노만', 1).instruments).toEqual(['piano']);
  });

  it('reads waltz / 3/4 time', () => {
    expect(interpretPrompt('jazz waltz', 1).beatsPerBar).toBe(3);
    expect(interpretPrompt('piano in 3/4', 1).beatsPerBar).toBe(3);
    expect(interpretPrompt('왈츠', 1).beatsPerBar).toBe(3);
    expect(interpretPrompt('pop', 1).beatsPerBar).toBe(4);
  });

  it('ignores what it does not understand and lets the seed decide', () => {
    const plan = interpretPrompt('qwerty zxcv !!! 🎵', 9);
    expect(GENRES).toContain(plan.genre);
    expect(plan.tempoBpm).toBeGreaterThan(40);
    expect(interpretPrompt('', 9)).toEqual(interpretPrompt('qwerty zxcv', 9));
  });

  it('is deterministic, and different seeds fill the gaps differently', () => {
    expect(interpretPrompt('chill beat', 42)).toEqual(interpretPrompt('chill beat', 42));
    const plans = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => interpretPrompt('music', seed));
    const distinct = new Set(plans.map((p) => `${p.genre}|${p.tempoBpm}|${p.key.name}`));
    expect(distinct.size).toBeGreaterThan(4);
  });

  it.each([
    ['calm lo-fi hip hop with piano, 80 bpm, A minor', '잔잔한 로파이 힙합, 피아노, 80 bpm, A 단조'],
    ['sad slow piano ballad in D minor', '슬픈 느린 피아노 발라드, 라단조'],
    ['energetic drum and bass 174 bpm', '신나는 드럼앤베이스 174 bpm'],
    ['dreamy ambient, no drums', '몽환적인 앰비언트, 드럼 없이'],
    ['epic cinematic orchestral with strings and brass in C major', '웅장한 오케스트라, 현악기와 브라스, 다장조'],
    ['jazz waltz with acoustic guitar', '어쿠스틱 기타 재즈 왈츠'],
    ['happy fast chiptune', '밝은 빠른 칩튠'],
    ['dark trap with 808 and heavy drums', '어두운 트랩, 808, 강한 드럼'],
    ['romantic solo piano', '로맨틱한 피아노 솔로'],
    ['tense techno', '긴장감 있는 테크노'],
  ])('plans "%s" and "%s" the same', (english, korean) => {
    for (const seed of [1, 77]) expect(interpretPrompt(korean, seed)).toEqual(interpretPrompt(english, seed));
  });
});

describe('describePlan', () => {
  it('lists genre, tempo, key, instruments and mood', () => {
    const plan: MusicPlan = {
      genre: 'lofi',
      moods: ['calm'],
      tempoBpm: 82,
      key: { tonic: 9, mode: 'minor', name: 'A minor' },
      beatsPerBar: 4,
      instruments: ['piano', 'bass', 'drums', 'vinyl'],
      drums: 'normal',
      energy: 0.3,
      brightness: 0.3,
      density: 0.4,
      swing: 0.2,
      seed: 1,
    };
    expect(describePlan(plan)).toBe('lo-fi hip hop · 82 bpm · A minor · piano, bass, drums, vinyl noise · calm');
    expect(describePlan({ ...plan, beatsPerBar: 3, moods: [], drums: 'light' })).toBe('lo-fi hip hop · 82 bpm · 3/4 · A minor · piano, bass, light drums, vinyl noise');
  });
});
