/**
 * How much of the beat the drums mark on their own. Where they mark little (light
 * drums, grooves that leave beats empty) or nothing (no drums), the other parts
 * articulate it: the bass steps on every beat, a percussive chord instrument
 * pulses softly on the beats, broken figures lean on them. Calm pieces stay calm —
 * the pulse is soft — but a listener, and a tempo detector, can count it.
 */
import { DrumIntensity } from '../plan';
import { GrooveId } from './styles';

export type BeatSupport = 'drums' | 'light' | 'none';

/**
 * Grooves whose kick and snare leave beats unmarked or barely marked: the one
 * drop, a jazz ride over a feathered kick, ambient's sparse kit, cinematic toms
 * that boom on 1 and 3 and only tap 2 and 4.
 */
const SPARSE_GROOVES: ReadonlySet<GrooveId> = new Set<GrooveId>(['one-drop', 'jazz', 'ambient', 'cinematic']);

export function beatSupport(drums: DrumIntensity, groove: GrooveId): BeatSupport {
  if (drums === 'none') return 'none';
  if (drums === 'light' || SPARSE_GROOVES.has(groove)) return 'light';
  return 'drums';
}

/**
 * Velocity factor of each beat of a bar for a part that marks the beat: the
 * downbeat leads and the other beats follow evenly — a stronger third beat would
 * make the half bar, not the beat, the thing that repeats.
 */
export function beatAccents(beatsPerBar: number): number[] {
  return beatsPerBar === 3 ? [1, 0.75, 0.75] : [1, 0.85, 0.85, 0.85];
}

/**
 * How long a note that marks the beat is held: detached, so its sound falls
 * away before the off-beat and the beat stands out from what lies between —
 * at slow tempi a held note would sound the same on the beat and halfway to the next.
 */
export function pulseNoteSeconds(beatSeconds: number): number {
  return Math.min(0.5 * beatSeconds, 0.4);
}
