import type { Language } from './language';

/** Example prompts (the offline engine understands English and Korean). */
export const EXAMPLE_PROMPTS: Record<Language, string[]> = {
  en: ['calm lo-fi piano, 80 bpm, rainy evening', 'epic orchestral trailer in D minor', 'upbeat synth-pop with bright drums, 120 bpm', 'warm acoustic guitar ballad, gentle and slow'],
  ko: ['잔잔한 로파이 피아노, 80 bpm, 비 오는 저녁', '웅장한 오케스트라 트레일러, D 단조', '경쾌한 신스팝, 밝은 드럼, 120 bpm', '따뜻한 어쿠스틱 기타 발라드, 느리고 부드럽게'],
};

export const CHIP_GROUPS = ['genre', 'mood', 'tempo', 'instrument'] as const;
export type ChipGroup = (typeof CHIP_GROUPS)[number];

/** Template chips: each adds its words to the prompt, in the interface language. */
export const PROMPT_CHIPS: Record<Language, Record<ChipGroup, string[]>> = {
  en: {
    genre: ['lo-fi hip hop', 'orchestral', 'house', 'jazz', 'ambient', 'rock', 'synth-pop'],
    mood: ['calm', 'energetic', 'dreamy', 'dark', 'happy', 'melancholic'],
    tempo: ['70 bpm', '90 bpm', '110 bpm', '128 bpm', '150 bpm'],
    instrument: ['piano', 'acoustic guitar', 'strings', 'synth pad', 'drums', 'bass'],
  },
  ko: {
    genre: ['로파이 힙합', '오케스트라', '하우스', '재즈', '앰비언트', '록', '신스팝'],
    mood: ['잔잔한', '신나는', '몽환적인', '어두운', '밝은', '우울한'],
    tempo: ['70 bpm', '90 bpm', '110 bpm', '128 bpm', '150 bpm'],
    instrument: ['피아노', '어쿠스틱 기타', '현악기', '신스 패드', '드럼', '베이스'],
  },
};

/** The prompt with `words` added as one more comma-separated part (not twice). */
export function addToPrompt(prompt: string, words: string): string {
  const trimmed = prompt.trim();
  if (!trimmed) return words;
  const parts = trimmed.split(',').map((p) => p.trim().toLowerCase());
  if (parts.includes(words.toLowerCase())) return trimmed;
  return `${trimmed.replace(/[,\s]+$/, '')}, ${words}`;
}
