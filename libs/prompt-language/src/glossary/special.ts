/**
 * Patterns the glossary cannot list: numbers with units (120 bpm, 120비피엠, 80년대,
 * 8비트, 3/4박자, 4중주), keys with a tonic (D 단조, 올림바단조, C# minor, Bb 장조)
 * and the English words and numbers inside a Korean prompt, which pass through.
 */
import type { TermKind } from './entries';

export interface SpecialMatch {
  end: number;
  kind: TermKind | 'latin';
  en: string;
}

type Rule = { re: RegExp; build: (m: RegExpExecArray) => { kind: TermKind | 'latin'; en: string } | null };

const KOREAN_LETTERS: Record<string, string> = { 다: 'C', 라: 'D', 마: 'E', 바: 'F', 사: 'G', 가: 'A', 나: 'B', 씨: 'C', 디: 'D', 에프: 'F', 지: 'G', 에이: 'A', 비: 'B' };

const MODE_WORDS: [RegExp, string][] = [
  [/^(장조|메이저|major|maj)$/i, 'major'],
  [/^(단조|마이너|minor|min)$/i, 'minor'],
  [/^(도리안|dorian)$/i, 'dorian'],
  [/^(리디안|lydian)$/i, 'lydian'],
  [/^(믹솔리디안|mixolydian)$/i, 'mixolydian'],
  [/^(프리지안|프리지언|phrygian)$/i, 'phrygian'],
  [/^(에올리안|aeolian)$/i, 'aeolian'],
  [/^(로크리안|locrian)$/i, 'locrian'],
];
const MODES = '장조|단조|메이저|마이너|도리안|리디안|믹솔리디안|프리지안|프리지언|에올리안|로크리안';
const LATIN_MODES = 'major|minor|dorian|lydian|mixolydian|phrygian|aeolian|locrian';

function modeOf(word: string): string {
  return MODE_WORDS.find(([re]) => re.test(word))?.[1] ?? 'major';
}

function accidentalOf(word: string | undefined): string {
  if (!word) return '';
  if (/^(#|♯|샵|샾|-?sharp|올림)$/i.test(word)) return '#';
  if (/^(b|♭|플랫|-?flat|내림)$/i.test(word)) return 'b';
  return '';
}

function key(letter: string, accidental: string, mode: string): string {
  return `${letter.toUpperCase()}${accidental} ${mode}`;
}

const ERA_PART: Record<string, string> = { 초반: 'early', 중반: 'mid', 후반: 'late' };

function decade(digits: string): string {
  if (digits.length === 4) return `${digits}s`;
  const n = Number(digits);
  // 00년대, 10년대, 20년대: this century; 30–90: the last one, written as "80s"
  return n <= 20 ? `20${digits}s` : `${digits}s`;
}

function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

const ENSEMBLE: Record<string, string> = { '2': 'duet', '3': 'trio', '4': 'quartet', '5': 'quintet', '6': 'sextet', '7': 'septet', '8': 'octet' };

const RULES: Rule[] = [
  // 120 bpm, 120bpm, 120비피엠, 90~100 bpm
  {
    re: /(\d{2,3})(?:\s*[~\-–]\s*(\d{2,3}))?\s*(?:bpm|b\.p\.m\.?|비피엠|비피앰)(?![a-z])/iy,
    build: (m) => ({ kind: 'tempo', en: `${m[1]}${m[2] ? `-${m[2]}` : ''} bpm` }),
  },
  // BPM 120, 템포 120
  { re: /(?:bpm|템포|tempo|빠르기)\s*(\d{2,3})(?!\d)/iy, build: (m) => ({ kind: 'tempo', en: `${m[1]} bpm` }) },
  // 80년대, 1980년대, 70~80년대, 90년대 후반
  {
    re: /(\d{2}|\d{4})\s*(?:[~\-–,]\s*(\d{2}|\d{4})\s*)?년대(?:\s*(초반|중반|후반))?/y,
    build: (m) => {
      const span = m[2] ? `${decade(m[1])} and ${decade(m[2])}` : decade(m[1]);
      return { kind: 'adj', en: m[3] ? `${ERA_PART[m[3]]} ${span}` : span };
    },
  },
  // 18세기 → 18th-century
  {
    re: /(\d{1,2})\s*세기(?:\s*(초반|중반|후반))?/y,
    build: (m) => ({ kind: 'adj', en: `${m[2] ? `${ERA_PART[m[2]]} ` : ''}${ordinal(Number(m[1]))}-century` }),
  },
  // 1985년 → 1985
  { re: /(\d{4})\s*년(?!대)/y, build: (m) => ({ kind: 'adj', en: m[1] }) },
  // 8비트 → 8-bit
  { re: /(8|16|32|64)\s*(?:비트|bit|빗)(?![a-z])/iy, build: (m) => ({ kind: 'adj', en: `${m[1]}-bit` }) },
  // 3/4박자, 6/8 → 3/4 time; 3박자 → 3/4 time
  { re: /(\d{1,2})\s*\/\s*(\d{1,2})(?:\s*박자)?/y, build: (m) => ({ kind: 'tempo', en: `${m[1]}/${m[2]} time` }) },
  { re: /(\d{1,2})\s*박자/y, build: (m) => ({ kind: 'tempo', en: m[1] === '6' ? '6/8 time' : `${m[1]}/4 time` }) },
  // 4중주 → quartet; 3인조 밴드 → 3-piece band
  { re: /([2-8])\s*중주/y, build: (m) => ({ kind: 'noun', en: ENSEMBLE[m[1]] ?? 'ensemble' }) },
  { re: /(\d{1,2})\s*인조(\s*밴드)?/y, build: (m) => ({ kind: m[2] ? 'noun' : 'adj', en: `${m[1]}-piece${m[2] ? ' band' : ''}` }) },
  // durations say nothing to a text-to-music model (the engine takes a duration)
  { re: /\d+(?:\.\d+)?\s*(?:초|분|시간)(?:\s*(?:짜리|동안|정도|길이))?/y, build: () => ({ kind: 'filler-soft', en: '' }) },
  // D 단조, C# minor, Bb 장조, F샵 마이너, E플랫 메이저, A dorian
  {
    re: new RegExp(`([A-Ga-g])\\s*(#|♯|b|♭|샵|샾|플랫|-?sharp|-?flat)?\\s*(${MODES}|${LATIN_MODES})(?![a-z])`, 'iy'),
    build: (m) => ({ kind: 'key', en: key(m[1], accidentalOf(m[2]), modeOf(m[3])) }),
  },
  // Am, C#m, Ebm, Cmaj, Fmaj7 is left alone
  { re: /([A-G])(#|b)?(m|min|maj)(?![A-Za-z0-9#])/y, build: (m) => ({ kind: 'key', en: key(m[1], m[2] ?? '', m[3] === 'maj' ? 'major' : 'minor') }) },
  // 다단조, 올림 바 단조, 내림마장조, 에이 마이너, 씨샵 단조
  {
    re: new RegExp(`(올림|내림)?\\s*(에프|에이|[다라마바사가나씨디지비])\\s*(#|♯|b|♭|샵|샾|플랫)?\\s*(${MODES})`, 'y'),
    build: (m) => {
      const accidental = accidentalOf(m[1]) || accidentalOf(m[3]);
      return { kind: 'key', en: key(KOREAN_LETTERS[m[2]], accidental, modeOf(m[4])) };
    },
  },
];

const LATIN = /[A-Za-z0-9][A-Za-z0-9'’&+#.-]*/y;

/** The pattern matches starting exactly at `pos`. */
export function specialMatches(text: string, pos: number): SpecialMatch[] {
  const found: SpecialMatch[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = pos;
    const m = rule.re.exec(text);
    if (!m) continue;
    const built = rule.build(m);
    if (built) found.push({ end: pos + m[0].length, ...built });
  }
  LATIN.lastIndex = pos;
  const latin = LATIN.exec(text);
  if (latin) {
    const word = latin[0].replace(/['’.\-&+]+$/, '');
    if (word) found.push({ end: pos + word.length, kind: 'latin', en: word });
  }
  return found;
}
