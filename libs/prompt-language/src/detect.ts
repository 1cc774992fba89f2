/**
 * Prompt language detection by script. Korean when Hangul carries a good part of the
 * text: each Hangul syllable weighs 2 (it holds about as much as two or three Latin
 * letters), each Latin letter 1, each Han/Kana character 2, any other letter 1; the
 * prompt is Korean when Hangul makes up at least 30 % of that weight, so
 * "lofi hip hop 비트, 잔잔한 피아노" is Korean and "chill jazz for a rainy 카페" is English.
 * Otherwise English when Latin letters outweigh other scripts, else "other". A prompt
 * with no letters at all ("120 bpm", "") counts as English: there is nothing to translate.
 */
export type PromptLanguage = 'ko' | 'en' | 'other';

export const KOREAN_SHARE = 0.3;

export interface ScriptWeights {
  hangul: number;
  latin: number;
  other: number;
}

const HANGUL = /[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff]/u;
const LATIN = /\p{Script=Latin}/u;
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LETTER = /\p{L}/u;

export function scriptWeights(text: string): ScriptWeights {
  const weights: ScriptWeights = { hangul: 0, latin: 0, other: 0 };
  for (const ch of text) {
    if (HANGUL.test(ch)) weights.hangul += 2;
    else if (LATIN.test(ch)) weights.latin += 1;
    else if (WIDE.test(ch)) weights.other += 2;
    else if (LETTER.test(ch)) weights.other += 1;
  }
  return weights;
}

export function detectLanguage(text: string): PromptLanguage {
  const { hangul, latin, other } = scriptWeights(text);
  const total = hangul + latin + other;
  if (total === 0) return 'en';
  if (hangul / total >= KOREAN_SHARE) return 'ko';
  return latin >= other ? 'en' : 'other';
}
