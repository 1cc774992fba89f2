/**
 * Words and phrases the interpreter understands, in English and Korean. English
 * phrases match whole words (spaces and hyphens interchangeable); Korean phrases
 * match inside words, since particles attach to them ("피아노와", "잔잔한").
 * When phrases overlap, the longest wins ("drum and bass" over "drum").
 */
import { DrumIntensity, GenreId, InstrumentId, MoodId } from '../plan';

export interface Phrases {
  en: readonly string[];
  ko: readonly string[];
}

export const GENRE_PHRASES: Record<GenreId, Phrases> = {
  lofi: { en: ['lo-fi', 'lofi', 'lo fi', 'lo-fi hip hop', 'lofi hip hop', 'chillhop', 'lo-fi beats'], ko: ['로파이', '로 파이', '로파이 힙합', '칠합'] },
  hiphop: { en: ['hip hop', 'hip-hop', 'hiphop', 'boom bap', 'rap beat'], ko: ['힙합', '붐뱁', '랩 비트'] },
  trap: { en: ['trap'], ko: ['트랩'] },
  house: { en: ['house', 'deep house', 'house music'], ko: ['하우스', '딥하우스'] },
  techno: { en: ['techno'], ko: ['테크노'] },
  dnb: { en: ['drum and bass', 'drum & bass', "drum 'n' bass", 'drum n bass', 'dnb', 'd&b', 'jungle', 'liquid dnb'], ko: ['드럼앤베이스', '드럼 앤 베이스', '드럼앤드베이스', '드앤베', '정글'] },
  ambient: { en: ['ambient', 'drone', 'atmospheric'], ko: ['앰비언트', '엠비언트', '드론'] },
  cinematic: { en: ['cinematic', 'orchestral', 'orchestra', 'film score', 'soundtrack', 'movie score', 'epic orchestral'], ko: ['시네마틱', '영화음악', '영화 음악', '오케스트라', '관현악', '사운드트랙'] },
  'classical-piano': { en: ['classical piano', 'classical', 'piano sonata', 'nocturne', 'etude'], ko: ['클래식 피아노', '클래식', '녹턴', '소나타'] },
  jazz: { en: ['jazz', 'jazzy', 'swing jazz', 'bebop', 'jazz trio'], ko: ['재즈', '스윙 재즈', '비밥'] },
  funk: { en: ['funk', 'funky'], ko: ['펑크', '펑키'] },
  rock: { en: ['rock', 'rock and roll', 'indie rock', 'hard rock'], ko: ['록', '락', '록음악', '인디 록', '하드 록'] },
  pop: { en: ['pop', 'synth pop', 'synthpop', 'k-pop', 'kpop'], ko: ['팝', '케이팝', '신스팝'] },
  ballad: { en: ['ballad', 'power ballad'], ko: ['발라드'] },
  reggae: { en: ['reggae', 'dub', 'ska'], ko: ['레게'] },
  chiptune: { en: ['chiptune', 'chip tune', '8-bit', '8 bit', '8bit', 'video game', 'retro game'], ko: ['칩튠', '8비트', '8 비트', '게임 음악', '레트로 게임'] },
};

export const MOOD_PHRASES: Record<MoodId, Phrases> = {
  calm: { en: ['calm', 'chill', 'relaxing', 'relaxed', 'peaceful', 'mellow', 'gentle', 'soothing', 'serene', 'quiet'], ko: ['잔잔한', '잔잔하게', '차분한', '편안한', '평화로운', '고요한', '힐링', '조용한', '포근한'] },
  happy: { en: ['happy', 'joyful', 'cheerful', 'bright', 'uplifting', 'upbeat', 'playful', 'sunny', 'fun'], ko: ['행복한', '밝은', '경쾌한', '즐거운', '명랑한', '희망찬', '발랄한'] },
  sad: { en: ['sad', 'melancholic', 'melancholy', 'sorrowful', 'heartbroken', 'lonely', 'nostalgic', 'emotional'], ko: ['슬픈', '우울한', '쓸쓸한', '애절한', '외로운', '그리운', '감성적인'] },
  dark: { en: ['dark', 'gloomy', 'sinister', 'ominous', 'moody', 'eerie'], ko: ['어두운', '음산한', '음침한', '불길한'] },
  epic: { en: ['epic', 'heroic', 'grand', 'majestic', 'triumphant', 'powerful'], ko: ['웅장한', '장엄한', '영웅적인', '거대한', '비장한'] },
  dreamy: { en: ['dreamy', 'ethereal', 'floating', 'hazy', 'spacey', 'mysterious'], ko: ['몽환적인', '몽환적', '꿈같은', '꿈결 같은', '신비로운', '아련한'] },
  energetic: { en: ['energetic', 'exciting', 'excited', 'driving', 'intense', 'hype', 'aggressive', 'party'], ko: ['신나는', '신난', '에너지 넘치는', '에너지틱한', '강렬한', '활기찬', '역동적인', '파티'] },
  tense: { en: ['tense', 'suspenseful', 'suspense', 'anxious', 'thriller', 'urgent'], ko: ['긴장감 있는', '긴장감', '긴박한', '불안한', '스릴러'] },
  romantic: { en: ['romantic', 'love', 'loving', 'tender', 'sweet'], ko: ['로맨틱한', '로맨틱', '사랑스러운', '달콤한', '사랑'] },
};

export const INSTRUMENT_PHRASES: Record<InstrumentId, Phrases> = {
  piano: { en: ['piano', 'grand piano', 'acoustic piano', 'keys'], ko: ['피아노', '그랜드 피아노'] },
  'electric-piano': { en: ['electric piano', 'e-piano', 'epiano', 'rhodes', 'wurlitzer'], ko: ['일렉트릭 피아노', '일렉 피아노', '전자 피아노', '로즈'] },
  organ: { en: ['organ', 'hammond'], ko: ['오르간'] },
  'acoustic-guitar': { en: ['acoustic guitar', 'guitar', 'nylon guitar', 'classical guitar', 'fingerpicked guitar'], ko: ['어쿠스틱 기타', '통기타', '기타', '클래식 기타'] },
  'electric-guitar': { en: ['electric guitar', 'distorted guitar', 'guitar riff', 'guitar riffs', 'power chords'], ko: ['일렉 기타', '일렉트릭 기타', '전기 기타', '일렉기타'] },
  harp: { en: ['harp'], ko: ['하프'] },
  strings: { en: ['strings', 'string section', 'violin', 'violins', 'cello', 'cellos', 'string ensemble'], ko: ['현악기', '현악', '스트링', '스트링스', '바이올린', '첼로'] },
  brass: { en: ['brass', 'horns', 'horn section', 'trumpet', 'trumpets', 'trombone'], ko: ['브라스', '금관', '금관악기', '트럼펫', '호른'] },
  flute: { en: ['flute', 'flutes', 'piccolo', 'woodwind', 'woodwinds'], ko: ['플루트', '플룻', '피콜로', '목관악기', '목관'] },
  clarinet: { en: ['clarinet', 'clarinets'], ko: ['클라리넷'] },
  oboe: { en: ['oboe', 'oboes', 'english horn', 'cor anglais'], ko: ['오보에', '잉글리시 호른'] },
  saxophone: { en: ['saxophone', 'saxophones', 'sax', 'alto sax', 'tenor sax', 'alto saxophone', 'tenor saxophone'], ko: ['색소폰', '섹소폰', '색스폰', '알토 색소폰', '테너 색소폰'] },
  bassoon: { en: ['bassoon', 'bassoons'], ko: ['바순'] },
  choir: { en: ['choir', 'choirs', 'choral', 'voices', 'choir aahs', 'voice oohs', 'oohs', 'aahs'], ko: ['합창', '합창단', '콰이어', '성가대'] },
  pad: { en: ['pad', 'pads', 'synth pad', 'synth pads', 'synths', 'synth'], ko: ['패드', '신스 패드', '신스', '신시사이저'] },
  lead: { en: ['lead', 'synth lead', 'lead synth'], ko: ['신스 리드', '리드 신스'] },
  bells: { en: ['bells', 'bell', 'glockenspiel', 'music box', 'celesta', 'chimes'], ko: ['벨 소리', '벨소리', '종소리', '글로켄슈필', '오르골', '첼레스타'] },
  chip: { en: ['square wave', 'pulse wave', 'chip synth'], ko: ['사각파', '칩 신스'] },
  bass: { en: ['bass', 'bass guitar', 'electric bass', 'upright bass', 'double bass'], ko: ['베이스', '베이스 기타', '콘트라베이스'] },
  'synth-bass': { en: ['synth bass', 'bassline', 'sub bass', 'reese'], ko: ['신스 베이스', '서브 베이스'] },
  '808': { en: ['808', '808s', '808 bass'], ko: ['808', '808 베이스'] },
  drums: { en: ['drums', 'drum', 'beat', 'beats', 'percussion', 'drum kit'], ko: ['드럼', '비트', '타악기', '퍼커션'] },
  vinyl: { en: ['vinyl', 'vinyl noise', 'vinyl crackle', 'crackle', 'record noise', 'tape hiss'], ko: ['바이닐', '레코드 노이즈', '엘피 노이즈', 'lp 노이즈', '지직거리는'] },
};

export const DRUM_INTENSITY_PHRASES: Partial<Record<DrumIntensity, Phrases>> = {
  heavy: { en: ['heavy drums', 'hard hitting drums', 'hard-hitting drums', 'punchy drums', 'big drums', 'loud drums', 'heavy beat', 'heavy beats', 'hard drums'], ko: ['강한 드럼', '묵직한 드럼', '헤비한 드럼', '강렬한 드럼', '빵빵한 드럼', '센 드럼'] },
  light: { en: ['light drums', 'soft drums', 'gentle drums', 'light percussion', 'soft percussion', 'brushes'], ko: ['가벼운 드럼', '부드러운 드럼', '약한 드럼', '브러시'] },
  none: { en: ['drumless', 'no percussion', 'beatless'], ko: ['드럼리스'] },
};

export const TEMPO_PHRASES: Record<'slow' | 'fast', Phrases> = {
  slow: { en: ['slow', 'slowly', 'very slow', 'slow tempo', 'downtempo', 'laid back', 'laid-back'], ko: ['느린', '느리게', '느릿한', '느릿느릿', '천천히', '느긋한', '아주 느린'] },
  fast: { en: ['fast', 'quick', 'uptempo', 'up-tempo', 'very fast', 'fast tempo', 'rapid'], ko: ['빠른', '빠르게', '빠른 템포', '아주 빠른', '급한'] },
};

export const TRIPLE_METER_PHRASES: Phrases = { en: ['waltz', '3/4', 'three four', 'three-four', 'triple meter'], ko: ['왈츠', '3박자', '삼박자', '3/4박자'] };
export const DUPLE_METER_PHRASES: Phrases = { en: ['4/4', 'four four', 'common time'], ko: ['4박자', '사박자', '4/4박자'] };

/** "solo piano", "piano only", "just piano"; Korean 솔로/독주, or 만 after an instrument ("피아노만"). */
export const SOLO_PHRASES: Phrases = { en: ['solo', 'only', 'just', 'alone', 'unaccompanied'], ko: ['솔로', '독주', '단독'] };

/** English negations precede the instrument ("no drums"); Korean ones follow it ("드럼 없이"). */
export const NEGATION_BEFORE_EN = /(?:^|[^a-z])(?:no|without|minus|zero|sans|not|w\/o)\s+(?:any\s+|the\s+)?$/;
export const NEGATION_AFTER_KO = /^\s*(?:은|는|이|가|을|를|도)?\s*(?:없이|없는|없고|없음|없게|빼고|빼서|제외|말고|x\b)/;
export const ONLY_AFTER_KO = /^\s*만/;
