/**
 * Which parts a General MIDI SoundFont plays, and with which preset. Acoustic and
 * orchestral instruments (piano, electric piano, guitars, bass guitar outside lo-fi
 * and hip hop, harp, strings, brass, bells) and the acoustic, brush and orchestral
 * drum kits are sampled; the parts whose sound is the synthesis itself (organ drawbars, pads,
 * leads, synth and 808 basses, chiptune, vinyl, electronic kits) stay synthesised.
 */
import { DrumPiece, TrackSource } from '../compose/score';
import { DrumKit, GenreStyle } from '../compose/styles';
import { MusicPlan } from '../plan';

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
    case 'bass':
      // Lo-fi and hip hop keep the synthesised bass, a rounded line under the beat:
      // the fingered bass's attack on every eighth note makes an 82 bpm lo-fi piece
      // read as 164 bpm to a tempo detector (and to a listener, as busier).
      if (plan.genre === 'lofi' || plan.genre === 'hiphop') return null;
      return plan.genre === 'jazz' ? 32 : 33; // Acoustic / Fingered Bass
    case 'harp':
      return 46; // Orchestral Harp
    case 'strings':
      return 48; // String Ensemble 1
    case 'brass':
      return plan.genre === 'cinematic' && source.role === 'melody' ? 60 : 61; // French Horn / Brass Section
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
    case 'brush':
      return 40; // Brush
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
