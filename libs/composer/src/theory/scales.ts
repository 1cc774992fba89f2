/** Diatonic scales as semitone offsets from the tonic, and helpers to walk them. */
import { Mode, pitchClass } from './pitch';

export const SCALE_STEPS: Record<Mode, readonly number[]> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
};

/** Every MIDI note of the key's scale in [low, high], ascending. */
export function scaleNotes(tonic: number, mode: Mode, low: number, high: number): number[] {
  const pcs = new Set(SCALE_STEPS[mode].map((s) => pitchClass(tonic + s)));
  const notes: number[] = [];
  for (let m = low; m <= high; m++) if (pcs.has(pitchClass(m))) notes.push(m);
  return notes;
}

/** The note of `notes` (ascending) closest to `target`; ties go down. */
export function nearest(notes: readonly number[], target: number): number {
  let best = notes[0];
  for (const n of notes) if (Math.abs(n - target) < Math.abs(best - target)) best = n;
  return best;
}
