/**
 * The fake's "translation model": canned translations (settings first, then a small
 * built-in table of Korean music prompts), else a deterministic placeholder that names
 * the languages and the length. No Hangul ever comes out of it unless asked for
 * (failure mode `untranslated` echoes the source).
 */
export const LANGUAGES: { code: string; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'ko', name: 'Korean' },
  { code: 'ja', name: 'Japanese' },
  { code: 'zh', name: 'Chinese' },
  { code: 'es', name: 'Spanish' },
  { code: 'fr', name: 'French' },
  { code: 'de', name: 'German' },
];
export const LANGUAGE_CODES = LANGUAGES.map((l) => l.code);

export const BUILT_IN_TRANSLATIONS: { [ko: string]: string } = {
  '비 오는 날 듣기 좋은 잔잔한 재즈 피아노': "Calm jazz piano that's nice to listen to on a rainy day",
  '잔잔한 재즈 피아노, 비 오는 날': 'Calm jazz piano, rainy day',
  '신나는 80년대 신스팝, 120 bpm': 'Exciting 80s synth pop, 120 bpm',
  '웅장한 오케스트라 트레일러 음악 D 단조': 'Epic orchestral trailer music in D minor',
  '공부할 때 듣기 좋은 로파이 힙합': 'Lo-fi hip hop that is good to listen to while studying',
};

/** Rough detection for `source: auto`: Hangul → ko, kana → ja, Han → zh, else en. */
export function detect(text: string): string {
  if (/[\uac00-\ud7a3]/.test(text)) return 'ko';
  if (/[\u3040-\u30ff]/.test(text)) return 'ja';
  if (/[\u4e00-\u9fff]/.test(text)) return 'zh';
  return 'en';
}

export function translateText(text: string, source: string, target: string, table: { [source: string]: string }): string {
  const key = text.trim();
  if (source === target) return text;
  const canned = table[key] ?? (target === 'en' ? BUILT_IN_TRANSLATIONS[key] : undefined);
  if (canned !== undefined) return canned;
  return `${target} translation of ${Array.from(key).length} ${source} characters`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
