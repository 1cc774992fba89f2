import { conjugate, endsWithConsonant, finalOf, withFinal } from './hangul';

describe('hangul', () => {
  it('reads and replaces final consonants', () => {
    expect(finalOf('한')).toBe(4);
    expect(finalOf('하')).toBe(0);
    expect(finalOf('a')).toBe(-1);
    expect(withFinal('하', 4)).toBe('한');
    expect(endsWithConsonant('몽환적')).toBe(true);
    expect(endsWithConsonant('피아노')).toBe(false);
  });

  it.each([
    ['잔잔하다', ['잔잔한', '잔잔하고', '잔잔하게', '잔잔히', '잔잔함', '잔잔하며', '잔잔하던', '잔잔했던']],
    ['슬프다', ['슬픈', '슬프고', '슬프게', '슬픔']],
    ['신나다', ['신나는', '신난', '신나고', '신나게']],
    ['밝다', ['밝은', '밝고', '밝게', '밝으며']],
    ['어둡다', ['어두운', '어둡고', '어둡게', '어두워']],
    ['아름답다', ['아름다운']],
    ['길다', ['긴', '길고', '길게']],
    ['몽환적이다', ['몽환적', '몽환적인', '몽환적이고', '몽환적으로']],
    ['감성이다', ['감성', '감성인', '감성으로']],
    ['긴장감있다', ['긴장감있는', '긴장감있고']],
    ['파랗다', ['파란']],
    ['설레다', ['설레는', '설렌', '설렘']],
  ])('%s has the forms %j', (word, forms) => {
    const all = conjugate(word);
    for (const form of forms) expect(all).toContain(form);
  });

  it('leaves non-predicates alone', () => expect(conjugate('피아노')).toEqual(['피아노']));
});
