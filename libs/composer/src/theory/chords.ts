/**
 * Chords from Roman numerals and voice-led voicings.
 *
 * Numerals are read against the major scale of the tonic, with accidentals for
 * borrowed roots, as in most pop/jazz writing: in A minor "i bVI bIII bVII" is
 * Am F C G. Case gives the triad (upper major, lower minor), suffixes extend it:
 * 7 (dominant on upper case, minor 7th on lower), maj7, 9, add9, sus2, sus4,
 * ø7 (half-diminished), ° (diminished).
 */
import { pitchClass } from './pitch';

export interface Chord {
  /** the numeral it was read from, e.g. "bVImaj7" */
  symbol: string;
  /** pitch class of the root */
  root: number;
  /** semitones above the root, root (0) first, ascending */
  intervals: number[];
}

const NUMERALS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'];
const MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11];
const SUFFIX_INTERVALS: Record<string, (minor: boolean) => number[]> = {
  '': (minor) => (minor ? [0, 3, 7] : [0, 4, 7]),
  '7': (minor) => (minor ? [0, 3, 7, 10] : [0, 4, 7, 10]),
  maj7: (minor) => (minor ? [0, 3, 7, 11] : [0, 4, 7, 11]),
  '9': (minor) => (minor ? [0, 3, 7, 10, 14] : [0, 4, 7, 10, 14]),
  maj9: () => [0, 4, 7, 11, 14],
  add9: (minor) => (minor ? [0, 3, 7, 14] : [0, 4, 7, 14]),
  sus2: () => [0, 2, 7],
  sus4: () => [0, 5, 7],
  'ø7': () => [0, 3, 6, 10],
  '°': () => [0, 3, 6],
};

const NUMERAL_PATTERN = /^(b|#)?(VII|VI|V|IV|III|II|I|vii|vi|v|iv|iii|ii|i)(maj9|maj7|add9|sus2|sus4|ø7|°|7|9)?$/;

/** Parses one numeral relative to `tonic` (pitch class). Throws on malformed input: progressions are data we own. */
export function parseNumeral(symbol: string, tonic: number): Chord {
  const match = NUMERAL_PATTERN.exec(symbol);
  if (!match) throw new Error(`not a chord numeral: ${symbol}`);
  const [, accidental, numeral, suffix = ''] = match;
  const degree = NUMERALS.indexOf(numeral.toUpperCase());
  const minor = numeral !== numeral.toUpperCase();
  const shift = accidental === 'b' ? -1 : accidental === '#' ? 1 : 0;
  return { symbol, root: pitchClass(tonic + MAJOR_SCALE[degree] + shift), intervals: SUFFIX_INTERVALS[suffix](minor) };
}

export function parseProgression(text: string, tonic: number): Chord[] {
  return text.trim().split(/\s+/).map((symbol) => parseNumeral(symbol, tonic));
}

/** Pitch classes of the chord, root first. */
export function chordPitchClasses(chord: Chord): number[] {
  return chord.intervals.map((i) => pitchClass(chord.root + i));
}

/** The MIDI note of pitch class `pc` at or above `floor`. */
export function atOrAbove(pc: number, floor: number): number {
  return floor + pitchClass(pc - floor);
}

/**
 * A close voicing of the chord (at most `voices` notes, dropping the fifth first
 * when there are too many) with every note in [low, high], chosen to move as
 * little as possible from `previous` — smooth voice-leading. Without a previous
 * voicing, the one centred nearest to the middle of the range wins.
 */
export function voiceChord(chord: Chord, low: number, high: number, voices: number, previous?: readonly number[]): number[] {
  let pcs = chordPitchClasses(chord);
  if (pcs.length > voices) pcs = pcs.filter((_, i) => i !== 2).slice(0, voices); // keep root, third, sevenths/colour
  let best: number[] = [];
  let bestCost = Infinity;
  // Every inversion, at every octave that fits the range.
  for (let inversion = 0; inversion < pcs.length; inversion++) {
    const order = [...pcs.slice(inversion), ...pcs.slice(0, inversion)];
    for (let base = low; base <= high; base++) {
      if (pitchClass(base) !== order[0]) continue;
      const notes = [base];
      for (const pc of order.slice(1)) notes.push(atOrAbove(pc, notes[notes.length - 1] + 1));
      if (notes[notes.length - 1] > high) continue;
      const cost = previous?.length ? movement(previous, notes) : Math.abs(average(notes) - (low + high) / 2);
      if (cost < bestCost) {
        bestCost = cost;
        best = notes;
      }
    }
  }
  return best.length ? best : pcs.map((pc) => atOrAbove(pc, low));
}

/** Total semitone movement between two voicings, matching voices in order (extra voices compare with the nearest). */
function movement(a: readonly number[], b: readonly number[]): number {
  let cost = 0;
  for (let i = 0; i < b.length; i++) cost += Math.abs(b[i] - a[Math.min(i, a.length - 1)]);
  return cost + Math.abs(average(a) - average(b)) * 0.5;
}

function average(notes: readonly number[]): number {
  return notes.reduce((s, n) => s + n, 0) / notes.length;
}
