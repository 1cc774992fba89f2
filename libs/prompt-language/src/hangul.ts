/**
 * Hangul syllable arithmetic and the conjugation of Korean predicates into the surface
 * forms prompts use ("잔잔하다" → 잔잔한, 잔잔하고, 잔잔하게, ...; "어둡다" → 어두운, ...).
 */

const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;

/** Final consonant (jongseong) indexes used below. */
export const JONG = { none: 0, n: 4, l: 8, m: 16, b: 17, ss: 20, h: 27 } as const;

export function isHangulSyllable(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return code >= SYLLABLE_FIRST && code <= SYLLABLE_LAST;
}

/** The final consonant index of a syllable (0 = none); -1 when not a syllable. */
export function finalOf(syllable: string): number {
  if (!isHangulSyllable(syllable)) return -1;
  return ((syllable.codePointAt(0) ?? 0) - SYLLABLE_FIRST) % 28;
}

/** The syllable with its final consonant replaced. */
export function withFinal(syllable: string, jong: number): string {
  const code = (syllable.codePointAt(0) ?? 0) - SYLLABLE_FIRST;
  return String.fromCodePoint(SYLLABLE_FIRST + code - (code % 28) + jong);
}

/** True when the word ends in a consonant (selects 으로/로, 이/가, 은/는 ...). */
export function endsWithConsonant(word: string): boolean {
  const last = word.slice(-1);
  return finalOf(last) > 0;
}

const CONNECTIVE_ENDINGS = ['고', '게', '며', '면서', '지만', '던', '다가', '기에', '니까'];

/**
 * Every surface form of a predicate given in its dictionary form (ending in 다), as a
 * modifier ("-ㄴ/-은/-는"), a connective ("-고", "-며", "-면서", "-지만"), an adverb
 * ("-게", "-히"), a past modifier ("-던", "-았던") or a noun ("-ㅁ/-음"). Irregular
 * stems are covered by their usual rule: ㅂ (어둡다 → 어두운), ㄹ (길다 → 긴),
 * 하다 (잔잔하다 → 잔잔한, 잔잔히), 이다 (몽환적이다 → 몽환적인, 몽환적으로).
 * Extra forms a rule does not produce are listed as separate spellings in the glossary.
 */
export function conjugate(dictionaryForm: string): string[] {
  if (!dictionaryForm.endsWith('다') || dictionaryForm.length < 2) return [dictionaryForm];
  const stem = dictionaryForm.slice(0, -1);
  const head = stem.slice(0, -1);
  const last = stem.slice(-1);
  const forms = new Set<string>([dictionaryForm]);
  const add = (...words: string[]): void => words.forEach((w) => forms.add(w));

  if (last === '하') {
    add(`${head}한`, `${head}하는`, `${head}해`, `${head}했던`, `${head}함`, `${head}히`, `${head}할`, `${head}해서`, `${head}한데`);
    CONNECTIVE_ENDINGS.forEach((e) => add(`${stem}${e}`));
    return [...forms];
  }
  if (last === '이' && head.length > 0) {
    // noun + 이다: 몽환적이다 → 몽환적, 몽환적인, 몽환적이고, 몽환적으로
    add(head, `${head}인`, `${head}이었던`, `${head}임`);
    add(endsWithConsonant(head) ? `${head}으로` : `${head}로`);
    CONNECTIVE_ENDINGS.forEach((e) => add(`${stem}${e}`));
    return [...forms];
  }
  const jong = finalOf(last);
  CONNECTIVE_ENDINGS.forEach((e) => add(`${stem}${e}`));
  if (jong === JONG.none) {
    // 슬프다 → 슬픈, 신나다 → 신나는/신난, 설레다 → 설렘
    add(`${head}${withFinal(last, JONG.n)}`, `${stem}는`, `${head}${withFinal(last, JONG.m)}`, `${head}${withFinal(last, JONG.l)}`);
  } else if (jong === JONG.l) {
    // 길다 → 긴, 날다 → 나는
    const open = withFinal(last, JONG.none);
    add(`${head}${withFinal(last, JONG.n)}`, `${head}${open}는`, `${stem}은`);
  } else if (jong === JONG.b) {
    // ㅂ irregular (어둡다 → 어두운, 어두워), and the regular forms as well (좁다 → 좁은)
    const open = `${head}${withFinal(last, JONG.none)}`;
    add(`${open}운`, `${open}워`, `${open}웠던`, `${open}우며`, `${open}우면서`, `${open}움`, `${stem}은`, `${stem}는`);
  } else if (jong === JONG.h && last !== '좋') {
    // ㅎ irregular colours: 파랗다 → 파란
    add(`${head}${withFinal(last, JONG.n)}`, `${stem}은`, `${stem}는`);
  } else {
    // 밝다 → 밝은, 있다 → 있는, 맑다 → 맑음
    add(`${stem}은`, `${stem}는`, `${stem}으며`, `${stem}으면서`, `${stem}음`);
  }
  return [...forms];
}
