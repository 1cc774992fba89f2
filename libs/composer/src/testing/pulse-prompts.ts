/**
 * Prompts whose tempo a listener — and an independent tempo detector — must be
 * able to find in the rendered audio: calm and drumless pieces, 3/4, swung and
 * syncopated grooves, very slow and very fast tempos, in English and Korean.
 * `bpm` is the tempo the prompt names; where it names none, the style's tempo
 * (the plan's) is the one asked.
 */
export interface PulsePrompt {
  prompt: string;
  seed: number;
  /** what makes the pulse hard to hear */
  kind: string;
}

export const PULSE_PROMPTS: readonly PulsePrompt[] = [
  { prompt: 'calm piano piece with light drums, 90 bpm', seed: 1, kind: 'calm, light drums' },
  { prompt: 'calm lo-fi piano, 80 bpm', seed: 7, kind: 'calm, swung' },
  { prompt: 'solo piano, no drums, 72 bpm', seed: 2, kind: 'no drums' },
  { prompt: '잔잔한 피아노, 드럼 없이, 84 bpm', seed: 3, kind: 'no drums (ko)' },
  { prompt: 'dreamy ambient pads, 66 bpm', seed: 4, kind: 'no drums, slow' },
  { prompt: 'ambient drone, beatless, 60 bpm', seed: 5, kind: 'no drums, very slow' },
  { prompt: 'very slow sad piano ballad, 60 bpm', seed: 6, kind: 'very slow' },
  { prompt: 'romantic ballad with strings, 64 bpm', seed: 8, kind: 'slow, light drums' },
  { prompt: 'calm acoustic guitar, 100 bpm', seed: 9, kind: 'calm' },
  { prompt: '3/4 waltz at 96 bpm', seed: 1, kind: '3/4' },
  { prompt: 'classical piano in 3/4, 88 bpm', seed: 2, kind: '3/4, no drums' },
  { prompt: 'jazz waltz, 120 bpm', seed: 3, kind: '3/4, swung' },
  { prompt: '피아노 왈츠, 3박자, 100 bpm', seed: 4, kind: '3/4 (ko)' },
  { prompt: 'reggae waltz, 3/4, 80 bpm', seed: 12, kind: '3/4, four-beat style' },
  { prompt: 'syncopated funk groove, 108 bpm', seed: 1, kind: 'syncopated' },
  { prompt: '신나는 펑키 그루브, 112 bpm', seed: 2, kind: 'syncopated (ko)' },
  { prompt: 'reggae one drop, 80 bpm', seed: 3, kind: 'one drop' },
  { prompt: 'swing jazz trio, 140 bpm', seed: 4, kind: 'swung' },
  { prompt: 'lo-fi hip hop, 75 bpm', seed: 5, kind: 'swung' },
  { prompt: '잔잔한 로파이 힙합, 70 bpm', seed: 6, kind: 'calm, swung (ko)' },
  { prompt: 'trap 140 bpm', seed: 7, kind: 'half time' },
  { prompt: 'happy pop 118 bpm', seed: 8, kind: 'pop' },
  { prompt: 'house 124 bpm', seed: 9, kind: 'four on the floor' },
  { prompt: '웅장한 오케스트라 영화음악, 템포 100', seed: 1, kind: 'cinematic (ko)' },
  { prompt: 'hard rock 150 bpm', seed: 2, kind: 'fast' },
  { prompt: 'fast chiptune, 168 bpm', seed: 3, kind: 'very fast' },
  { prompt: 'drum and bass 174 bpm', seed: 4, kind: 'very fast, broken beat' },
  { prompt: 'uptempo bebop jazz, 172 bpm', seed: 5, kind: 'very fast, swung' },
  { prompt: 'jazz trio', seed: 6, kind: 'style tempo, swung' },
  { prompt: '클래식 피아노 녹턴', seed: 7, kind: 'style tempo, no drums (ko)' },
];
