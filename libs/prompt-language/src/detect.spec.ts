import { detectLanguage, scriptWeights } from './detect';

describe('detectLanguage', () => {
  it.each([
    ['비 오는 날 듣기 좋은 잔잔한 재즈 피아노', 'ko'],
    ['신나는 80년대 신스팝, 120 bpm', 'ko'],
    ['웅장한 오케스트라 트레일러 음악 D 단조', 'ko'],
    ['lofi hip hop beat, 잔잔한 피아노', 'ko'],
    ['lo-fi 비트', 'ko'],
    ['EDM 페스티벌 음악', 'ko'],
    ['ㅋㅋㅋ', 'ko'],
    ['calm jazz piano, rainy day', 'en'],
    ['chill jazz piano for a rainy 카페', 'en'],
    ['120 bpm', 'en'],
    ['', 'en'],
    ['   ', 'en'],
    ['!!! 🎹', 'en'],
    ['musique calme au piano', 'en'],
    ['雨の日に聴く静かなジャズピアノ', 'other'],
    ['下雨天的安静爵士钢琴', 'other'],
    ['спокойное джазовое пианино', 'other'],
    ['ピアノ jazz', 'other'],
  ])('%s → %s', (text, expected) => expect(detectLanguage(text)).toBe(expected));

  it('weighs Hangul syllables double', () => {
    expect(scriptWeights('재즈 jazz')).toEqual({ hangul: 4, latin: 4, other: 0 });
  });
});
