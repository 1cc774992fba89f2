/**
 * The score as a Standard MIDI File (type 1): a conductor track with the tempo,
 * time and key signatures, then one track per part with its name, its General
 * MIDI program and its notes as the synthesiser plays them (start, length and
 * velocity, swing included), written with `midi-file`.
 */
import { writeMidi, type MidiEvent } from 'midi-file';
import { DrumPiece, Score } from '../compose/score';
import { MusicPlan, InstrumentId } from '../plan';
import { STYLES } from '../compose/styles';
import { composeRequest, RenderRequest } from '../render';
import { melodicProgram } from '../soundfont/programs';
import { pitchClass } from '../theory/pitch';
import { Part, scoreParts } from './parts';

export const TICKS_PER_BEAT = 480;
/** General MIDI's percussion channel (channel 10, counted from 1). */
export const DRUM_CHANNEL = 9;

/** General MIDI program (0-based) closest to each instrument, for the parts no SoundFont preset plays. */
export const GM_PROGRAMS: Record<Exclude<InstrumentId, 'drums' | 'vinyl'>, number> = {
  piano: 0, // Acoustic Grand Piano
  'electric-piano': 4, // Electric Piano 1
  organ: 16, // Drawbar Organ
  'acoustic-guitar': 25, // Acoustic Guitar (steel)
  'electric-guitar': 27, // Electric Guitar (clean)
  harp: 46, // Orchestral Harp
  strings: 48, // String Ensemble 1
  brass: 61, // Brass Section
  flute: 73, // Flute
  clarinet: 71, // Clarinet
  oboe: 68, // Oboe
  saxophone: 65, // Alto Sax
  bassoon: 70, // Bassoon
  choir: 52, // Choir Aahs
  pad: 89, // Pad 2 (warm)
  lead: 81, // Lead 2 (sawtooth)
  bells: 14, // Tubular Bells
  chip: 80, // Lead 1 (square)
  bass: 33, // Electric Bass (finger)
  'synth-bass': 38, // Synth Bass 1
  '808': 38, // Synth Bass 1
};

/** General MIDI percussion key of each drum piece. */
export const GM_DRUM_KEYS: Record<DrumPiece, number> = {
  kick: 36,
  snare: 38,
  clap: 39,
  rim: 37,
  'closed-hat': 42,
  'open-hat': 46,
  ride: 51,
  crash: 49,
  'tom-low': 45,
  'tom-high': 50,
};

/** Sharps (positive) or flats (negative) of each tonic's key signature, spelled as keyName() spells them. */
const MAJOR_ACCIDENTALS = [0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5];
const MINOR_ACCIDENTALS = [-3, 4, -1, -6, 1, -4, 3, -2, 5, 0, -5, 2];

/** Parts that have notes to write: the vinyl texture is a noise bed with no pitch. */
export function midiParts(score: Score): Part[] {
  return scoreParts(score).filter((part) => part.instrument !== 'vinyl');
}

interface TimedEvent {
  tick: number;
  /** at the same tick: note-offs (0) before note-ons (1), so a re-struck key sounds */
  order: 0 | 1;
  event: MidiEvent;
}

/** The MIDI file of a composed score. `title` names the conductor track. */
export function scoreToMidi(score: Score, plan: MusicPlan, title = 'TextTune'): Buffer {
  const ticksPerSecond = (score.tempoBpm / 60) * TICKS_PER_BEAT;
  const toTick = (seconds: number) => Math.max(0, Math.round(seconds * ticksPerSecond));
  const endTick = toTick(score.durationSeconds);
  const conductor: TimedEvent[] = [
    { tick: 0, order: 0, event: { deltaTime: 0, meta: true, type: 'trackName', text: title } },
    { tick: 0, order: 0, event: { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: Math.round(60_000_000 / score.tempoBpm) } },
    { tick: 0, order: 0, event: { deltaTime: 0, meta: true, type: 'timeSignature', numerator: plan.beatsPerBar, denominator: 4, metronome: 24, thirtyseconds: 8 } },
    { tick: 0, order: 0, event: { deltaTime: 0, meta: true, type: 'keySignature', key: keyAccidentals(plan), scale: plan.key.mode === 'minor' ? 1 : 0 } },
  ];
  const tracks = [toTrack(conductor, endTick)];
  let nextChannel = 0;
  for (const part of midiParts(score)) {
    const drums = part.instrument === 'drums';
    let channel = DRUM_CHANNEL;
    if (!drums) {
      channel = nextChannel % 15 < DRUM_CHANNEL ? nextChannel % 15 : (nextChannel % 15) + 1;
      nextChannel++;
    }
    const program = drums ? 0 : partProgram(part, plan);
    const events: TimedEvent[] = [
      { tick: 0, order: 0, event: { deltaTime: 0, meta: true, type: 'trackName', text: part.label } },
      { tick: 0, order: 0, event: { deltaTime: 0, type: 'programChange', channel, programNumber: program } },
    ];
    for (const note of partNotes(part, toTick)) {
      events.push({ tick: note.on, order: 1, event: { deltaTime: 0, type: 'noteOn', channel, noteNumber: note.key, velocity: note.velocity } });
      events.push({ tick: note.off, order: 0, event: { deltaTime: 0, type: 'noteOff', channel, noteNumber: note.key, velocity: 0 } });
    }
    tracks.push(toTrack(events, endTick));
  }
  return Buffer.from(writeMidi({ header: { format: 1, numTracks: tracks.length, ticksPerBeat: TICKS_PER_BEAT }, tracks }));
}

/**
 * A melodic part's program: the preset the sampled band plays it with (so the file
 * sounds in any GM player as the standard render does), else the closest GM program.
 */
export function partProgram(part: Part, plan: MusicPlan): number {
  const source = part.tracks[0]?.source;
  const sampled = source?.type === 'instrument' ? melodicProgram(source, plan, STYLES[plan.genre]) : null;
  return sampled ?? GM_PROGRAMS[part.instrument as keyof typeof GM_PROGRAMS];
}

/** The MIDI file of a render request: the same plan and score its audio is made from. */
export function renderMidi(req: RenderRequest, title?: string): { midi: Buffer; plan: MusicPlan; score: Score } {
  const { plan, score } = composeRequest(req);
  return { midi: scoreToMidi(score, plan, title), plan, score };
}

function keyAccidentals(plan: MusicPlan): number {
  return (plan.key.mode === 'minor' ? MINOR_ACCIDENTALS : MAJOR_ACCIDENTALS)[pitchClass(plan.key.tonic)];
}

interface MidiNote {
  on: number;
  off: number;
  key: number;
  velocity: number;
}

/**
 * A part's notes in ticks. A key struck again while still held is released at
 * the new stroke (a channel holds one note per key), and every note lasts at
 * least a tick, so its note-off never precedes its note-on.
 */
function partNotes(part: Part, toTick: (seconds: number) => number): MidiNote[] {
  const notes: MidiNote[] = [];
  for (const track of part.tracks) {
    const source = track.source;
    for (const note of track.notes) {
      const key = source.type === 'drum' ? GM_DRUM_KEYS[source.piece] : note.midi;
      const on = toTick(note.start);
      notes.push({ on, off: Math.max(on + 1, toTick(note.start + note.duration)), key, velocity: Math.max(1, Math.min(127, Math.round(note.velocity * 127))) });
    }
  }
  notes.sort((a, b) => a.on - b.on || a.key - b.key);
  const held = new Map<number, MidiNote>();
  for (const note of notes) {
    const before = held.get(note.key);
    if (before && before.off > note.on) before.off = Math.max(before.on + 1, note.on);
    held.set(note.key, note);
  }
  return notes;
}

/** Sorts timed events, sets their delta times and ends the track at `endTick` (or its last event). */
function toTrack(events: TimedEvent[], endTick: number): MidiEvent[] {
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);
  let last = 0;
  const track: MidiEvent[] = events.map(({ tick, event }) => {
    event.deltaTime = tick - last;
    last = tick;
    return event;
  });
  track.push({ deltaTime: Math.max(0, endTick - last), meta: true, type: 'endOfTrack' });
  return track;
}
