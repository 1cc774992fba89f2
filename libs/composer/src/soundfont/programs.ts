/**
 * Which parts a General MIDI SoundFont plays, and with which preset. Acoustic and
 * orchestral instruments (piano, electric piano, guitars, harp, strings, brass,
 * woodwinds, choir, bells) and the acoustic and orchestral drum kits are sampled; the parts whose
 * sound is the synthesis itself (organ drawbars, pads, leads, synth and 808 basses,
 * chiptune, vinyl, electronic kits) stay synthesised, and so do two that carry the
 * pulse: the bass line and the jazz brush kit. With a sampled fingered bass, an
 * 82 bpm lo-fi piece and an 80 bpm reggae one drop read as twice their tempo to our
 * tempo estimator (the pulse spec), with the sampled brush kit three swing jazz
 * prompts read as half theirs; synthesised, all read right.
 */
import { DrumPiece, TrackSource } from '../compose/score';
import { DrumKit, GenreStyle } from '../compose/styles';
import { GenreId, MusicPlan } from '../plan';

/** Styles whose saxophone is a tenor's (smoky, low); elsewhere it is an alto. */
const TENOR_SAX_GENRES: ReadonlySet<GenreId> = new Set<GenreId>(['jazz', 'lofi', 'hiphop', 'ballad']);
/** Styles whose choir hums (oohs) under the music rather than sings out (aahs). */
const HUMMED_CHOIR_GENRES: ReadonlySet<GenreId> = new Set<GenreId>(['ambient', 'lofi', 'ballad']);

/** GM program (0-based) of each sampled instrument, given the piece it plays in. */
export function melodicProgram(source: Extract<TrackSource, { type: 'instrument' }>, plan: MusicPlan, style: GenreStyle): number | null {
  switch (source.instrument) {
    case 'piano':
      return 0; // Acoustic Grand Piano
    case 'electric-piano':
      return 4; // Electric Piano 1 (Rhodes)
    case 'acoustic-guitar':
      return plan.genre === 'classical-piano' || plan.genre === 'ballad' ? 24 : 25; // Nylon / Steel String Guitar
    case 'electric-guitar':
      return style.comp === 'power' ? 29 : 27; // Overdriven / Clean Guitar
    case 'harp':
      return 46; // Orchestral Harp
    case 'strings':
      return 48; // String Ensemble 1
    case 'brass':
      return plan.genre === 'cinematic' && source.role === 'melody' ? 60 : 61; // French Horn / Brass Section
    case 'flute':
      return 73; // Flute
    case 'clarinet':
      return 71; // Clarinet
    case 'oboe':
      return 68; // Oboe
    case 'saxophone':
      return TENOR_SAX_GENRES.has(plan.genre) ? 66 : 65; // Tenor / Alto Sax
    case 'bassoon':
      return 70; // Bassoon
    case 'choir':
      return HUMMED_CHOIR_GENRES.has(plan.genre) ? 53 : 52; // Voice Oohs / Choir Aahs
    case 'bells':
      return 10; // Music Box
    default:
      return null;
  }
}

/** GM drum kit program for a kit the SoundFont plays, or null for the synthesised kits. */
export function drumKitProgram(kit: DrumKit): number | null {
  switch (kit) {
    case 'acoustic':
      return 0; // Standard
    case 'orchestral':
      return 48; // Orchestra
    default:
      return null;
  }
}

/** GM percussion key of each drum sound (the orchestra kit has timpani where a drum kit has toms). */
export function drumKey(piece: DrumPiece, kit: DrumKit): number {
  switch (piece) {
    case 'kick':
      return 36;
    case 'snare':
      return 38;
    case 'clap':
      return 39;
    case 'rim':
      return 37;
    case 'closed-hat':
      return 42;
    case 'open-hat':
      return 46;
    case 'ride':
      return 51;
    case 'crash':
      return 49;
    case 'tom-low':
      return kit === 'orchestral' ? 41 : 45;
    case 'tom-high':
      return kit === 'orchestral' ? 48 : 50;
  }
}
