/** The score's parts: what one stem or one MIDI track holds. */
import { Track, Score } from '../compose/score';
import { INSTRUMENT_INFO, Role } from '../instruments';
import { InstrumentId } from '../plan';

export interface Part {
  /** unique within the piece and safe in a file name: "drums", "bass", "chords-piano", "pad-strings" */
  name: string;
  /** for people: "drums", "piano (chords)" */
  label: string;
  instrument: InstrumentId;
  role: Role;
  /** the score's tracks the part is made of (every drum piece is in the one drums part) */
  tracks: Track[];
}

/** The order parts are listed in: rhythm section first, then harmony, then the tunes and the textures. */
const ROLE_ORDER: readonly Role[] = ['drums', 'bass', 'chords', 'arp', 'pad', 'melody', 'texture'];

/**
 * One part per instrument track (an instrument that plays two roles gives two
 * parts) and one for all the drum pieces together, in ROLE_ORDER, then score order.
 */
export function scoreParts(score: Score): Part[] {
  const parts: Part[] = [];
  const drumTracks = score.tracks.filter((track) => track.source.type === 'drum');
  if (drumTracks.length) parts.push({ name: 'drums', label: 'drums', instrument: 'drums', role: 'drums', tracks: drumTracks });
  for (const track of score.tracks) {
    const source = track.source;
    if (source.type !== 'instrument') continue;
    const { instrument, role } = source;
    const name = instrument === role ? instrument : `${role}-${instrument}`;
    const label = role === INSTRUMENT_INFO[instrument].primary ? INSTRUMENT_INFO[instrument].label : `${INSTRUMENT_INFO[instrument].label} (${role})`;
    parts.push({ name, label, instrument, role, tracks: [track] });
  }
  return parts
    .map((part, index) => ({ part, index }))
    .sort((a, b) => ROLE_ORDER.indexOf(a.part.role) - ROLE_ORDER.indexOf(b.part.role) || a.index - b.index)
    .map(({ part }) => part);
}
