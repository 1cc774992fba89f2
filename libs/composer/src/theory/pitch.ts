/** Pitch classes, note names and MIDI ↔ frequency. */

export type Mode = 'major' | 'minor';

/** Preferred spelling of each tonic: sharps or flats as musicians write those keys. */
const MAJOR_TONIC_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const MINOR_TONIC_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'G#', 'A', 'Bb', 'B'];

const LETTER_PITCH: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };

export function midiToHz(midi: number): number {
  return 440 * Math.pow(2, (midi - 69) / 12);
}

export function pitchClass(midi: number): number {
  return ((midi % 12) + 12) % 12;
}

/** "A minor", "Eb major". */
export function keyName(tonic: number, mode: Mode): string {
  return `${(mode === 'major' ? MAJOR_TONIC_NAMES : MINOR_TONIC_NAMES)[pitchClass(tonic)]} ${mode}`;
}

/** Pitch class of a letter with an accidental: ("f", 1) → 6. */
export function letterToPitchClass(letter: string, accidental: -1 | 0 | 1): number | null {
  const base = LETTER_PITCH[letter.toLowerCase()];
  return base === undefined ? null : pitchClass(base + accidental);
}
