import { glossaryInfo } from './info';
import { buildLexicon } from './lexicon';
import { glossaryTranslate, segmentsOf } from './translate';

const en = (prompt: string): string => glossaryTranslate(prompt).english;

describe('glossaryTranslate on real Korean prompts', () => {
  // The rule: music phrases first (Korean modifier order = English order), then scenes,
  // purposes, negations, keys and tempo in order of appearance; comma-separated parts of
  // the prompt keep their order.
  const table: [string, string][] = [
    ['비 오는 날 듣기 좋은 잔잔한 재즈 피아노', 'calm jazz piano, rainy day'],
    ['잔잔한 재즈 피아노, 비 오는 날', 'calm jazz piano, rainy day'],
    ['신나는 80년대 신스팝, 120 bpm', 'upbeat 80s synth-pop, 120 bpm'],
    ['웅장한 오케스트라 트레일러 음악 D 단조', 'epic orchestral trailer music, D minor'],
    ['공부할 때 듣기 좋은 로파이 힙합 비트', 'lo-fi hip hop beat, for studying'],
    ['카페에서 흘러나오는 보사노바 기타', 'bossa nova guitar, cafe'],
    ['새벽에 듣는 몽환적인 신스웨이브', 'dreamy synthwave, dawn'],
    ['여름 밤 바닷가에서 듣는 시티팝', 'city pop, summer night beach'],
    ['슬픈 피아노 발라드, 느린 템포', 'sad piano ballad, slow tempo'],
    ['어두운 분위기의 트랩 비트, 808 베이스 강하게', 'dark trap beat, strong 808 bass'],
    ['드럼 없는 잔잔한 앰비언트', 'calm ambient, no drums'],
    ['따뜻한 어쿠스틱 기타와 휘파람', 'warm acoustic guitar and whistling'],
    ['크리스마스 분위기의 캐롤 재즈', 'Christmas carol jazz'],
    ['긴장감 넘치는 스릴러 영화 음악', 'tense thriller film score'],
    ['밝고 경쾌한 우쿨렐레 광고 음악', 'bright and bouncy ukulele commercial music'],
    ['90년대 힙합 느낌의 붐뱁 비트', '90s hip hop boom bap beat'],
    ['몽환적인 드림팝, 리버브 가득한 기타', 'dreamy dream pop, reverb-drenched guitar'],
    ['에너지 넘치는 EDM 페스티벌 음악', 'energetic EDM festival music'],
    ['비 오는 밤 창가에서 듣는 첼로', 'cello, rainy night by the window'],
    ['아침에 듣기 좋은 상쾌한 어쿠스틱 팝', 'fresh acoustic pop, morning'],
    ['운동할 때 듣는 강렬한 록 음악', 'intense rock music, for working out'],
    ['잠들기 전에 듣는 자장가 오르골', 'lullaby music box, for sleep'],
    ['사이버펑크 도시의 밤, 다크 신스웨이브', 'cyberpunk city night, dark synthwave'],
    ['피아노와 현악기가 어우러진 감동적인 영화 음악', 'piano and strings, moving film score'],
    ['느긋한 일요일 오후의 보사노바', 'laid-back Sunday afternoon bossa nova'],
    ['동요 느낌의 밝은 실로폰 멜로디', "children's song, bright xylophone melody"],
    ['중세 판타지 RPG 던전 음악', 'medieval fantasy RPG dungeon music'],
    ['90 bpm 정도의 느린 알앤비, 여성 보컬', 'slow R&B, 90 bpm, female vocals'],
    ['몽환적이고 신비로운 앰비언트 패드, 리버브', 'dreamy and mysterious ambient pads, reverb'],
    ['펑키한 베이스라인이 돋보이는 디스코', 'funky bassline, disco'],
    ['올림바단조의 슬픈 바이올린 솔로', 'sad violin solo, F# minor'],
    ['내림마장조 왈츠, 3/4박자', 'waltz, Eb major, 3/4 time'],
    ['지브리 스타일의 따뜻한 오케스트라', 'Ghibli-style warm orchestra'],
    ['해금과 피아노의 애절한 듀엣', 'haegeum and piano, heartrending duet'],
    ['빠른 드럼앤베이스, 174 bpm, 어두운 분위기', 'fast drum and bass, 174 bpm, dark'],
    ['감성적인 어쿠스틱 기타 인디 포크, 남성 보컬 허밍', 'emotional acoustic guitar indie folk, male vocals humming'],
    ['고요한 숲속의 명상 음악, 새소리', 'serene forest meditation music, birdsong'],
    ['긴박한 추격전 액션 영화 사운드트랙, 140bpm', 'urgent chase scene action film soundtrack, 140 bpm'],
    ['로맨틱한 저녁 식사 재즈, 색소폰', 'romantic dinner jazz, saxophone'],
    ['웅장한 합창과 파이프 오르간, 성당', 'epic choir and pipe organ, cathedral'],
    ['신비로운 동양풍 가야금과 대금', 'mysterious East Asian style gayageum and daegeum'],
    ['밤 드라이브에 어울리는 신스웨이브', 'synthwave, night driving'],
    ['봄날의 설레는 어쿠스틱 팝', 'heart-fluttering acoustic pop, spring day'],
    ['명상할 때 듣는 싱잉볼과 자연의 소리', 'singing bowls and nature sounds, for meditation'],
    ['잔잔한 피아노 곡 만들어줘', 'calm piano track'],
    ['보컬 없이 기타랑 베이스만, 펑키하게', 'guitar and bass, no vocals, funky'],
    ['겨울밤 벽난로 앞에서 듣는 따뜻한 재즈 트리오', 'warm jazz trio, winter night fireplace'],
    ['파도 소리와 함께하는 칠아웃 하우스, 해질녘', 'ocean waves, chillout house, dusk'],
    ['1970년대 소울 느낌의 그루비한 베이스와 브라스', '1970s soul, groovy bass and brass'],
    ['다단조의 어둡고 무거운 첼로 독주', 'dark and heavy cello solo, C minor'],
    ['게임 보스전 BGM, 웅장하고 긴박하게, 160 BPM', 'video game boss battle BGM, epic and urgent, 160 bpm'],
    ['lo-fi 힙합, 잔잔한 피아노 코드와 빗소리', 'lo-fi hip hop, calm piano chords and rain sounds'],
    ['케이팝 댄스곡 느낌의 신나는 일렉트로팝', 'K-pop dance track, upbeat electropop'],
    ['할로윈 분위기의 으스스한 오르간', 'spooky organ, Halloween'],
    ['우울한 새벽 감성의 인디 록, 일렉 기타 리프', 'melancholic late-night emotional indie rock, electric guitar riff'],
    ['국악 퓨전, 가야금과 장구, 빠른 템포', 'Korean traditional music fusion, gayageum and janggu, fast tempo'],
    ['잔잔하고 따뜻하고 부드러운 피아노', 'calm, warm and soft piano'],
    ['피아노는 잔잔하게, 드럼은 가볍게', 'calm piano, light drums'],
    ['80년대 스타일의 시티팝', '80s-style city pop'],
    ['재즈풍 피아노', 'jazz-style piano'],
  ];

  it('has at least 40 prompts', () => expect(table.length).toBeGreaterThanOrEqual(40));

  it.each(table)('%s → %s', (prompt, expected) => {
    const result = glossaryTranslate(prompt);
    expect(result.english).toBe(expected);
    expect(result.unknown).toEqual([]);
  });
});

describe('Korean morphology', () => {
  it.each([
    ['잔잔한', 'calm'],
    ['잔잔하고', 'calm'],
    ['잔잔하게', 'calm'],
    ['잔잔함', 'calm'],
    ['잔잔히', 'calm'],
    ['어두운', 'dark'],
    ['어둡고', 'dark'],
    ['어둡게', 'dark'],
    ['밝은', 'bright'],
    ['밝고', 'bright'],
    ['신나는', 'upbeat'],
    ['신나고', 'upbeat'],
    ['신난', 'upbeat'],
    ['몽환적인', 'dreamy'],
    ['몽환적이고', 'dreamy'],
    ['몽환적으로', 'dreamy'],
    ['슬픈', 'sad'],
    ['아름다운', 'beautiful'],
    ['부드러운', 'soft'],
    ['빠른', 'fast'],
    ['느린', 'slow'],
    ['추운 겨울', 'cold winter'],
    ['긴장감 있는', 'tense'],
  ])('adjective form %s → %s', (word, expected) => expect(en(word)).toBe(expected));

  it.each(['피아노', '피아노로', '피아노와', '피아노가', '피아노를', '피아노의', '피아노만', '피아노랑', '피아노처럼', '피아노에서', '피아노도'])(
    'particles: %s → piano',
    (word) => expect(glossaryTranslate(word)).toEqual({ english: 'piano', unknown: [] }),
  );

  it.each([
    ['비오는날', 'rainy day'],
    ['비오는 날', 'rainy day'],
    ['비 오는날', 'rainy day'],
    ['비가 오는 날', 'rainy day'],
    ['재즈피아노', 'jazz piano'],
    ['드럼앤베이스', 'drum and bass'],
    ['드럼 앤 베이스', 'drum and bass'],
    ['일렉기타', 'electric guitar'],
    ['밤하늘', 'night sky'],
    ['재즈카페에서', 'jazz cafe'],
  ])('spacing and compounds: %s → %s', (prompt, expected) => expect(en(prompt)).toBe(expected));

  it('drops "듣기 좋은" and request verbs without listing them', () => {
    expect(glossaryTranslate('듣기 좋은 피아노 음악 만들어 주세요')).toEqual({ english: 'piano music', unknown: [] });
  });

  it('joins with "and": 와/과/랑/하고 between nouns, -고 between adjectives, 그리고', () => {
    expect(en('피아노와 첼로')).toBe('piano and cello');
    expect(en('잔잔한 피아노와 따뜻한 첼로')).toBe('calm piano and warm cello');
    expect(en('기타하고 베이스')).toBe('guitar and bass');
    expect(en('피아노 그리고 하프')).toBe('piano and harp');
    expect(en('잔잔하고 따뜻한 피아노')).toBe('calm and warm piano');
  });

  it('uses the adjective form of a noun before another noun', () => {
    expect(en('오케스트라')).toBe('orchestra');
    expect(en('오케스트라 음악')).toBe('orchestral music');
  });

  it('keeps intensifiers only before an adjective', () => {
    expect(en('아주 느린 피아노')).toBe('very slow piano');
    expect(en('약간 어두운 재즈')).toBe('slightly dark jazz');
    expect(en('정말 피아노')).toBe('piano');
  });

  it('turns 없는/없이/빼고 into "no …"', () => {
    expect(en('드럼 없는 피아노')).toBe('piano, no drums');
    expect(en('보컬은 빼고 기타만')).toBe('guitar, no vocals');
    expect(en('노 보컬 재즈')).toBe('jazz, no vocals');
  });

  it('reads 단조로운 as an adjective, not as a key', () => {
    expect(en('피아노가 단조로운')).toBe('piano, monotonous');
    expect(en('가장 조용한 피아노')).toBe('very quiet piano');
  });
});

describe('keys, numbers and English words', () => {
  it.each([
    ['다장조', 'C major'],
    ['라 단조', 'D minor'],
    ['올림바단조', 'F# minor'],
    ['내림 마 장조', 'Eb major'],
    ['C샵 마이너', 'C# minor'],
    ['E플랫 메이저', 'Eb major'],
    ['Bb 장조', 'Bb major'],
    ['F# minor', 'F# minor'],
    ['에이 마이너', 'A minor'],
    ['D 도리안', 'D dorian'],
    ['Am', 'A minor'],
    ['단조', 'minor key'],
    ['펜타토닉', 'pentatonic scale'],
  ])('key %s → %s', (prompt, expected) => expect(en(prompt)).toBe(expected));

  it.each([
    ['120비피엠', '120 bpm'],
    ['120 BPM', '120 bpm'],
    ['bpm: 90', '90 bpm'],
    ['템포 100', '100 bpm'],
    ['90~100 bpm', '90-100 bpm'],
    ['80년대', '80s'],
    ['1970년대', '1970s'],
    ['00년대', '2000s'],
    ['90년대 후반', 'late 90s'],
    ['70~80년대', '70s and 80s'],
    ['18세기', '18th-century'],
    ['8비트', '8-bit'],
    ['3/4박자', '3/4 time'],
    ['6/8박자', '6/8 time'],
    ['삼박자', '3/4 time'],
    ['4중주', 'quartet'],
    ['3인조 밴드', '3-piece band'],
    ['30초짜리 피아노', 'piano'],
    ['느린 템포', 'slow tempo'],
  ])('number %s → %s', (prompt, expected) => expect(en(prompt)).toBe(expected));

  it('passes English words through as written, in order', () => {
    expect(en('lofi hip hop 비트, 잔잔한 피아노')).toBe('lofi hip hop beat, calm piano');
    expect(en('chill한 Rhodes 피아노')).toBe('chill Rhodes piano');
    expect(en('EDM으로, drop 강하게')).toBe('EDM, strong drop');
  });
});

describe('unknown words', () => {
  it('drops unknown words from the English and lists them as written', () => {
    expect(glossaryTranslate('할머니집에서 듣던 트로트')).toEqual({ english: 'trot', unknown: ['할머니집에서'] });
    expect(glossaryTranslate('몽글몽글한 할머니 피아노, 할머니')).toEqual({ english: 'fuzzy piano', unknown: ['할머니'] });
  });

  it('does not read a one-syllable word into an unknown one (비밀 is not rain)', () => {
    expect(glossaryTranslate('비밀스러운 피아노')).toEqual({ english: 'piano', unknown: ['비밀스러운'] });
    expect(glossaryTranslate('방탄 느낌 댄스')).toEqual({ english: 'dance', unknown: ['방탄'] });
  });

  it('keeps a known word inside an unknown compound', () => {
    expect(glossaryTranslate('할머니집피아노')).toEqual({ english: 'piano', unknown: ['할머니집'] });
  });

  it('lists other scripts and ignores emoji and bare jamo', () => {
    expect(glossaryTranslate('ピアノ 잔잔한')).toEqual({ english: 'calm', unknown: ['ピアノ'] });
    expect(glossaryTranslate('빗소리ㅋㅋ 🎹 피아노!!')).toEqual({ english: 'rain sounds piano', unknown: [] });
  });

  it('returns an empty English prompt for nothing known', () => {
    expect(glossaryTranslate('안녕하세요')).toEqual({ english: '', unknown: ['안녕하세요'] });
    expect(glossaryTranslate('')).toEqual({ english: '', unknown: [] });
  });
});

describe('segments', () => {
  it('cuts at punctuation but keeps 3/4, 1.5, 70~80 and lo-fi', () => {
    expect(segmentsOf('재즈, 피아노. 첼로/하프 (BGM) 3/4박자 1.5배 lo-fi 70~80년대 - 끝')).toEqual(['재즈', '피아노', '첼로', '하프', 'BGM', '3/4박자 1.5배 lo-fi 70~80년대', '끝']);
  });
});

describe('the glossary itself', () => {
  it('has several hundred entries and no spelling claimed twice with different English', () => {
    const info = glossaryInfo();
    expect(info.entries).toBeGreaterThanOrEqual(800);
    expect(info.spellings).toBeGreaterThan(info.entries);
    expect(info.surfaceForms).toBeGreaterThan(4000);
    for (const group of ['genre', 'instrument', 'mood', 'tempo', 'key', 'era', 'production', 'scene', 'purpose']) {
      expect(info.byGroup[group]).toBeGreaterThan(0);
    }
    expect(buildLexicon().conflicts).toEqual([]);
  });

  it('translates a long prompt quickly', () => {
    const prompt = Array.from({ length: 20 }, () => '비 오는 날 듣기 좋은 잔잔한 재즈 피아노와 따뜻한 첼로, 120 bpm').join(' ');
    const started = performance.now();
    glossaryTranslate(prompt);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
