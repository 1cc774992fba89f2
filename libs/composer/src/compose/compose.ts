/**
 * Plan → Score: lays out the form, hands each role (chords, pad, bass, melody,
 * arpeggio, drums, texture) to an instrument of the plan and writes its part.
 * Depends only on the plan and the duration: sample rate and quality change how
 * the score sounds, never what is played.
 */
import { INSTRUMENT_INFO, Role } from '../instruments';
import { InstrumentId, MusicPlan } from '../plan';
import { Rng } from '../random';
import { scaleNotes, nearest } from '../theory/scales';
import { atOrAbove } from '../theory/chords';
import { composeArp, composeBass, composeComp, composePad, finalChordNotes, PartContext, Register } from './accompaniment';
import { composeDrums, grooveFor } from './drums';
import { BarPlan, Form, planForm, Section } from './form';
import { composeMelody } from './melody';
import { beatSupport, BeatSupport } from './pulse';
import { Note, Score, Timeline, Track } from './score';
import { BassStyle, CompStyle, GenreStyle, STYLES } from './styles';

type Assignment = Partial<Record<Exclude<Role, 'drums' | 'texture'>, InstrumentId[]>>;

/** Gives every musical role to the instruments best suited, each instrument first to its primary role. */
export function assignRoles(instruments: readonly InstrumentId[], comp: CompStyle): Assignment {
  const melodic = instruments.filter((i) => i !== 'drums' && i !== 'vinyl');
  const used = new Set<InstrumentId>();
  const roles: Assignment = {};
  const give = (role: keyof Assignment, instrument: InstrumentId) => {
    (roles[role] ??= []).push(instrument);
    used.add(instrument);
  };
  const firstUnused = (test: (i: InstrumentId) => boolean) => melodic.find((i) => !used.has(i) && test(i));

  const bass = firstUnused((i) => INSTRUMENT_INFO[i].primary === 'bass');
  if (bass) give('bass', bass);
  const chords = firstUnused((i) => INSTRUMENT_INFO[i].primary === 'chords');
  if (chords) give('chords', chords);
  for (const pad of melodic.filter((i) => !used.has(i) && INSTRUMENT_INFO[i].primary === 'pad')) give('pad', pad);
  const melody =
    firstUnused((i) => INSTRUMENT_INFO[i].primary === 'melody') ?? firstUnused((i) => INSTRUMENT_INFO[i].roles.includes('melody') && INSTRUMENT_INFO[i].primary !== 'chords');
  if (melody) give('melody', melody);
  const arp = firstUnused((i) => INSTRUMENT_INFO[i].roles.includes('arp'));
  if (arp) give('arp', arp);
  // Whatever is left doubles its primary role (e.g. organ and guitar both comping in reggae);
  // a second melody instrument takes a role still open to it, or a second figure, since two tunes at once clash.
  for (const rest of melodic.filter((i) => !used.has(i))) {
    const info = INSTRUMENT_INFO[rest];
    const second = info.primary === 'melody' && roles.melody ? (info.roles.find((r) => r !== 'drums' && r !== 'texture' && !roles[r]) ?? info.roles.find((r) => r === 'arp')) : undefined;
    const role = second ?? info.primary;
    if (role !== 'drums' && role !== 'texture') give(role, rest);
  }
  // A melody is always sung by someone: the chord (or pad) instrument's right hand.
  const singer = roles.chords?.[0] ?? roles.pad?.[0] ?? roles.arp?.[0];
  if (!roles.melody && singer && INSTRUMENT_INFO[singer].roles.includes('melody')) roles.melody = [singer];
  // No bass instrument: a piano, strings or chip covers the bass line (broken figures already have one).
  if (!roles.bass && comp !== 'broken' && comp !== 'alberti') {
    const low = melodic.find((i) => INSTRUMENT_INFO[i].roles.includes('bass'));
    if (low) roles.bass = [low];
  }
  return roles;
}

const CHORD_REGISTER: Partial<Record<InstrumentId, Register>> = {
  piano: { low: 55, high: 72, voices: 4 },
  'electric-piano': { low: 53, high: 70, voices: 4 },
  organ: { low: 55, high: 74, voices: 4 },
  'acoustic-guitar': { low: 52, high: 71, voices: 5 },
  'electric-guitar': { low: 55, high: 72, voices: 3 },
  harp: { low: 50, high: 72, voices: 4 },
  strings: { low: 50, high: 74, voices: 4 },
  brass: { low: 53, high: 70, voices: 3 },
  pad: { low: 52, high: 74, voices: 4 },
  chip: { low: 60, high: 76, voices: 3 },
  choir: { low: 52, high: 74, voices: 4 },
};
const MELODY_RANGE: Partial<Record<InstrumentId, [number, number]>> = {
  piano: [67, 84], 'electric-piano': [65, 82], 'acoustic-guitar': [62, 81], 'electric-guitar': [62, 81], harp: [67, 86],
  strings: [65, 86], brass: [60, 77], lead: [67, 84], bells: [72, 91], chip: [69, 88], organ: [65, 82], pad: [65, 82],
  flute: [72, 91], clarinet: [60, 79], oboe: [65, 84], saxophone: [58, 77], bassoon: [46, 65], choir: [62, 79],
};
const ARP_REGISTER: Partial<Record<InstrumentId, Register>> = {
  harp: { low: 55, high: 79, voices: 3 }, bells: { low: 72, high: 91, voices: 3 }, 'acoustic-guitar': { low: 52, high: 74, voices: 3 },
  piano: { low: 60, high: 84, voices: 3 }, lead: { low: 60, high: 84, voices: 3 }, chip: { low: 60, high: 84, voices: 3 },
  'electric-piano': { low: 60, high: 80, voices: 3 },
  flute: { low: 67, high: 88, voices: 3 }, clarinet: { low: 55, high: 77, voices: 3 }, oboe: { low: 62, high: 81, voices: 3 }, saxophone: { low: 56, high: 75, voices: 3 },
  bassoon: { low: 43, high: 62, voices: 3 },
};
const BASS_LOWEST: Partial<Record<InstrumentId, number>> = { bass: 28, 'synth-bass': 28, '808': 26, strings: 36, piano: 36, chip: 36, bassoon: 34 };
const DEFAULT_REGISTER: Register = { low: 55, high: 72, voices: 4 };

/** Struck or plucked: their attacks can mark a beat (a pad or an organ cannot). */
const PERCUSSIVE_CHORDS: ReadonlySet<InstrumentId> = new Set<InstrumentId>(['piano', 'electric-piano', 'acoustic-guitar', 'electric-guitar', 'harp', 'chip']);

/** Comping and bass figures written for four beats, which in 3/4 would blur the one-two-three. */
const FOUR_BEAT_COMPS: ReadonlySet<CompStyle> = new Set<CompStyle>(['lofi', 'stabs', 'skank', 'power', 'chops']);
const FOUR_BEAT_BASSES: ReadonlySet<BassStyle> = new Set<BassStyle>(['boombap', 'offbeat', 'driving', 'funk', 'sub', 'reggae', 'octaves', 'pop']);

function compStyleFor(instrument: InstrumentId, style: GenreStyle, index: number, beat: BeatSupport, beatsPerBar: 3 | 4): CompStyle {
  if (beatsPerBar === 3 && FOUR_BEAT_COMPS.has(style.comp)) return 'waltz';
  if (index > 0) return style.comp === 'skank' ? 'skank' : 'sustain';
  // Held chords on a struck instrument with no drums to keep time: the chord pulses on the beats instead.
  if (style.comp === 'sustain' && beat === 'none' && PERCUSSIVE_CHORDS.has(instrument)) return 'pulse';
  if (instrument === 'acoustic-guitar' && (style.comp === 'sustain' || style.comp === 'broken' || style.comp === 'power')) return 'strum';
  if ((instrument === 'strings' || instrument === 'pad' || instrument === 'organ' || instrument === 'choir') && style.comp !== 'skank' && style.comp !== 'stabs') return 'sustain';
  if (instrument === 'electric-guitar' && style.comp === 'broken') return 'strum';
  return style.comp;
}

export interface ComposeOptions {
  /** a seamless loop: whole bars at plan.tempoBpm (see loopTempo), no intro, outro or final chord */
  loop?: boolean;
}

/** Sections where each kind of part rests (the final chord is added separately). */
const BASS_RESTS: ReadonlySet<Section> = new Set<Section>(['intro', 'breakdown']);
const MELODY_PLAYS: ReadonlySet<Section> = new Set<Section>(['main', 'variation', 'bridge']);
/** where an arpeggio plays beside a melody: between the themes, and in every other return of A */
const ARP_PLAYS: ReadonlySet<Section> = new Set<Section>(['intro', 'variation', 'breakdown', 'build', 'outro']);

export function compose(plan: MusicPlan, durationSeconds: number, options: ComposeOptions = {}): Score {
  const loop = options.loop ?? false;
  const style = STYLES[plan.genre];
  const rng = new Rng(plan.seed).fork('compose');
  const timeline = new Timeline(plan.tempoBpm, plan.beatsPerBar, plan.swing, style.swingUnit);
  const beat = beatSupport(plan.drums, style.groove);
  const form = planForm(style, plan.key.tonic, plan.key.mode, timeline.beatSeconds, plan.beatsPerBar, durationSeconds, rng.fork('form'), {
    loop,
    drums: plan.drums !== 'none',
  });
  const roles = assignRoles(plan.instruments, style.comp);
  const tracks: Track[] = [];
  // Notes of the last bar stop where the final chord is struck (that bar may be cut short).
  const end = loop ? Infinity : form.finalTime;
  const add = (instrument: InstrumentId, role: Role, notes: Note[], final: Note[] = []) => {
    const played = notes.filter((n) => n.start < end - 0.02).map((n) => (n.start + n.duration > end ? { ...n, duration: end - n.start } : n));
    const all = [...played, ...final];
    if (all.length) tracks.push({ id: `${instrument}/${role}`, source: { type: 'instrument', instrument, role }, notes: all.map(clampStart).sort((a, b) => a.start - b.start) });
  };
  const long = form.bars.length >= 8;
  const context = (label: string, level: number, playsIn?: (bar: BarPlan) => boolean): PartContext => ({
    form, timeline, rng: rng.fork(label), level, density: plan.density, playsIn, beat,
  });
  const ringSeconds = Math.max(0.3, durationSeconds - form.finalTime - 0.25);
  const finalVelocity = 0.55 + 0.25 * plan.energy;
  const finalChord = (register: Register, velocity: number) => (form.finalChord ? finalChordNotes(form.finalChord, register, form.finalTime, ringSeconds, velocity) : []);

  (roles.chords ?? []).forEach((instrument, index) => {
    const register = CHORD_REGISTER[instrument] ?? DEFAULT_REGISTER;
    const comp = compStyleFor(instrument, style, index, beat, plan.beatsPerBar);
    const notes = composeComp(comp, register, context(`chords:${instrument}`, index === 0 ? 0.72 : 0.5));
    add(instrument, 'chords', notes, finalChord(register, finalVelocity));
  });
  for (const instrument of roles.pad ?? []) {
    const register = CHORD_REGISTER[instrument] ?? DEFAULT_REGISTER;
    add(instrument, 'pad', composePad(register, context(`pad:${instrument}`, 0.6)), finalChord(register, finalVelocity * 0.8));
  }
  for (const instrument of roles.bass ?? []) {
    const lowest = BASS_LOWEST[instrument] ?? 28;
    const held = instrument === 'strings' || instrument === 'piano' ? 'long' : style.bass;
    // A held bass says nothing about the beat: where the drums say little, it steps on every beat.
    const bassStyle: BassStyle =
      held === 'long' && beat !== 'drums' && instrument !== 'strings' ? 'pulse' : plan.beatsPerBar === 3 && FOUR_BEAT_BASSES.has(held) ? 'waltz' : held;
    const kickSteps = kickStepsOf(style, plan.beatsPerBar);
    const notes = composeBass(bassStyle, lowest, context(`bass:${instrument}`, 0.85, long ? (bar) => !BASS_RESTS.has(bar.section) : undefined), kickSteps);
    const final = form.finalChord && (form.bars.length > 0 || instrument !== 'strings')
      ? [{ start: form.finalTime, duration: ringSeconds, midi: atOrAbove(form.finalChord.root, lowest), velocity: finalVelocity }]
      : [];
    add(instrument, 'bass', notes, final);
  }
  for (const instrument of roles.melody ?? []) {
    const [low, high] = MELODY_RANGE[instrument] ?? [65, 82];
    const notes = composeMelody({ kind: style.melody, low, high, tonic: plan.key.tonic, mode: plan.key.mode }, context(`melody:${instrument}`, 0.8, (bar) => MELODY_PLAYS.has(bar.section)));
    const final: Note[] = [];
    const played = notes.filter((n) => n.start < end - 0.02);
    if (form.finalChord && played.length) {
      const scale = scaleNotes(plan.key.tonic, plan.key.mode, low, high);
      const home = nearest(scale.filter((n) => (n - plan.key.tonic) % 12 === 0), played[played.length - 1].midi);
      final.push({ start: form.finalTime, duration: ringSeconds, midi: home, velocity: finalVelocity });
    }
    add(instrument, 'melody', notes, final);
  }
  for (const instrument of roles.arp ?? []) {
    const register = ARP_REGISTER[instrument] ?? DEFAULT_REGISTER;
    const withMelody = (bar: BarPlan) => ARP_PLAYS.has(bar.section) || (bar.section === 'main' && bar.round % 2 === 1);
    let notes = composeArp(register, context(`arp:${instrument}`, 0.55, roles.melody?.length ? withMelody : undefined));
    // An instrument the plan lists is heard: where the form has none of its sections, it plays throughout.
    if (!notes.some((n) => n.start < end - 0.02)) notes = composeArp(register, context(`arp:${instrument}`, 0.5));
    add(instrument, 'arp', notes);
  }
  if (plan.drums !== 'none') {
    const drums = composeDrums(plan, grooveFor(style.groove, plan.beatsPerBar), style.kit, form, timeline, rng.fork('drums'));
    // The final kick (and crash) falls exactly on the final chord; the cut-short bar's hits stop before it.
    for (const track of drums) track.notes = track.notes.filter((n) => n.start < end - 0.02 || Math.abs(n.start - form.finalTime) < 1e-9);
    tracks.push(...drums.filter((track) => track.notes.length > 0));
  }
  if (plan.instruments.includes('vinyl')) {
    tracks.push({ id: 'vinyl/texture', source: { type: 'instrument', instrument: 'vinyl', role: 'texture' }, notes: [{ start: 0, duration: durationSeconds, midi: 0, velocity: 0.5 }] });
  }
  return {
    durationSeconds,
    tempoBpm: plan.tempoBpm,
    tracks,
    fadeStartSeconds: loop ? durationSeconds : fadeStart(form, durationSeconds),
    loop,
    sections: form.sections.map(({ section, startBar, bars, extraBeats }) => ({ section, startBar, bars, ...(extraBeats ? { extraBeats } : {}) })),
  };
}

/** Humanised timing may nudge the very first note before zero. */
function clampStart(note: Note): Note {
  return note.start >= 0 ? note : { ...note, duration: note.duration + note.start, start: 0 };
}

/** Where the 808 should play: on the main groove's kicks. */
function kickStepsOf(style: GenreStyle, beatsPerBar: 3 | 4): number[] {
  const pattern = grooveFor(style.groove, beatsPerBar).A.kick ?? 'X';
  const steps = [...pattern].flatMap((c, i) => (c === 'X' || c === 'x' ? [i] : []));
  return steps.length ? steps : [0];
}

/** The fade covers the second half of the final chord's ring and ends exactly at the last frame. */
function fadeStart(form: Form, durationSeconds: number): number {
  const ring = durationSeconds - form.finalTime;
  return Math.max(0, durationSeconds - Math.min(2, Math.max(0.4, ring * 0.5)));
}
