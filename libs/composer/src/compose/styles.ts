/**
 * Per-genre musical defaults: tempo range, harmony, grooves, accompaniment
 * figures and instrumentation. The interpreter reads tempo range and default
 * instruments; the composer reads the rest.
 */
import { DrumIntensity, GenreId, InstrumentId, MoodId } from '../plan';

export type GrooveId =
  | 'boombap' | 'trap' | 'four-on-floor' | 'techno' | 'dnb' | 'rock' | 'pop'
  | 'funk' | 'one-drop' | 'ballad' | 'jazz' | 'chip' | 'cinematic' | 'ambient';
/** How the chord instrument plays the harmony. */
/** 'pulse': the chord on every beat (no drums keep time); 'waltz': the chord on beats 2 and 3 of a 3/4 bar, over the bass's 1. */
export type CompStyle = 'sustain' | 'pulse' | 'waltz' | 'lofi' | 'stabs' | 'skank' | 'strum' | 'power' | 'broken' | 'alberti' | 'jazz' | 'chops' | 'chip-arp';
/**
 * 'pulse': the root on every beat, for pieces whose drums do not mark the beat
 * (see pulse.ts); 'waltz': the root (or the fifth, every other bar) on beat 1 of a 3/4 bar.
 */
export type BassStyle = 'long' | 'pulse' | 'waltz' | 'boombap' | 'offbeat' | 'driving' | 'walking' | 'funk' | '808' | 'sub' | 'reggae' | 'octaves' | 'pop';
export type DrumKit = 'acoustic' | 'electronic' | '808' | 'chip' | 'orchestral' | 'brush';
export type MelodyKind = 'lyrical' | 'hook' | 'riff' | 'sparse' | 'sequence';

export interface GenreStyle {
  label: string;
  tempo: readonly [number, number];
  /** probability of a minor key when neither prompt nor mood decides */
  minorBias: number;
  instruments: readonly InstrumentId[];
  drums: DrumIntensity;
  groove: GrooveId;
  kit: DrumKit;
  swing: number;
  /** the subdivision that swings: 8ths or 16ths */
  swingUnit: 8 | 16;
  progressions: { major: readonly string[]; minor: readonly string[] };
  /** 0.5 = one chord per two bars */
  chordsPerBar: 0.5 | 1 | 2;
  comp: CompStyle;
  bass: BassStyle;
  melody: MelodyKind;
  /** reverb decay (s) and how much of the mix is sent to it */
  reverb: { seconds: number; send: number };
  brightness: number;
  energy: number;
  density: number;
  /** tape-like master colouring: low-pass and a touch of wow */
  lofi?: boolean;
  /**
   * Level (dB) of the low end — bass line, kick and low drums — against the rest
   * of the arrangement, where the genre's bass and drum sounds would otherwise
   * swamp it (0 when absent).
   */
  lowEndDb?: number;
}

export const STYLES: Record<GenreId, GenreStyle> = {
  lofi: {
    label: 'lo-fi hip hop', tempo: [70, 90], minorBias: 0.6,
    instruments: ['electric-piano', 'bass', 'drums', 'vinyl'], drums: 'normal', groove: 'boombap', kit: 'electronic',
    swing: 0.2, swingUnit: 16,
    progressions: {
      major: ['IVmaj7 iii7 ii7 Imaj7', 'Imaj7 vi7 ii7 V7', 'ii7 V7 Imaj7 vi7', 'Imaj7 IVmaj7 iii7 vi7'],
      minor: ['i7 iv7 bVImaj7 v7', 'i9 iv7 bVIImaj7 bIIImaj7', 'iiø7 v7 i7 bVImaj7', 'bVImaj7 v7 i7 i7'],
    },
    chordsPerBar: 1, comp: 'lofi', bass: 'boombap', melody: 'sparse',
    reverb: { seconds: 1.6, send: 0.22 }, brightness: 0.3, energy: 0.35, density: 0.45, lofi: true,
  },
  hiphop: {
    label: 'hip hop', tempo: [84, 98], minorBias: 0.75,
    instruments: ['piano', 'bass', 'drums'], drums: 'normal', groove: 'boombap', kit: 'acoustic',
    swing: 0.12, swingUnit: 16,
    progressions: { major: ['I vi IV V', 'vi IV I V'], minor: ['i bVI bIII bVII', 'i iv bVI v', 'i7 iv7 i7 bVImaj7'] },
    chordsPerBar: 1, comp: 'lofi', bass: 'boombap', melody: 'riff',
    reverb: { seconds: 1.2, send: 0.15 }, brightness: 0.45, energy: 0.6, density: 0.5,
  },
  trap: {
    label: 'trap', tempo: [130, 150], minorBias: 0.9,
    instruments: ['bells', 'pad', '808', 'drums'], drums: 'normal', groove: 'trap', kit: '808',
    swing: 0, swingUnit: 16,
    progressions: { major: ['vi IV I V'], minor: ['i bVI bVII i', 'i bVI iv bVII', 'i iv bVI v'] },
    chordsPerBar: 1, comp: 'sustain', bass: '808', melody: 'riff',
    reverb: { seconds: 1.8, send: 0.2 }, brightness: 0.5, energy: 0.7, density: 0.5,
  },
  house: {
    label: 'house', tempo: [120, 126], minorBias: 0.55,
    instruments: ['piano', 'pad', 'synth-bass', 'drums'], drums: 'normal', groove: 'four-on-floor', kit: 'electronic',
    swing: 0.05, swingUnit: 16,
    progressions: {
      major: ['Imaj7 vi7 ii7 V7', 'IV V iii vi', 'ii7 V7 Imaj7 IVmaj7'],
      minor: ['i7 bVImaj7 bIIImaj7 bVII', 'i7 iv7 i7 iv7', 'i9 bVII bVImaj7 v7'],
    },
    chordsPerBar: 1, comp: 'stabs', bass: 'offbeat', melody: 'hook',
    reverb: { seconds: 1.5, send: 0.16 }, brightness: 0.65, energy: 0.75, density: 0.6, lowEndDb: -3,
  },
  techno: {
    label: 'techno', tempo: [124, 134], minorBias: 0.85,
    instruments: ['pad', 'lead', 'synth-bass', 'drums'], drums: 'normal', groove: 'techno', kit: 'electronic',
    swing: 0, swingUnit: 16,
    progressions: { major: ['I I bVII bVII'], minor: ['i i bVI bVII', 'i iv i iv', 'i i bII i'] },
    chordsPerBar: 1, comp: 'sustain', bass: 'offbeat', melody: 'sequence',
    reverb: { seconds: 2.2, send: 0.16 }, brightness: 0.55, energy: 0.8, density: 0.55,
  },
  dnb: {
    label: 'drum and bass', tempo: [170, 176], minorBias: 0.8,
    instruments: ['pad', 'lead', 'synth-bass', 'drums'], drums: 'normal', groove: 'dnb', kit: 'electronic',
    swing: 0, swingUnit: 16,
    progressions: { major: ['I V vi IV'], minor: ['i bVI bIII bVII', 'i bVImaj7 iv7 v7', 'i9 bVIImaj7 bVImaj7 bVII'] },
    chordsPerBar: 1, comp: 'sustain', bass: 'sub', melody: 'sparse',
    reverb: { seconds: 2.4, send: 0.2 }, brightness: 0.7, energy: 0.85, density: 0.6,
  },
  ambient: {
    label: 'ambient', tempo: [60, 78], minorBias: 0.4,
    instruments: ['pad', 'bells', 'piano'], drums: 'none', groove: 'ambient', kit: 'electronic',
    swing: 0, swingUnit: 8,
    progressions: { major: ['Iadd9 IVmaj7', 'Imaj7 vi7 IVmaj7 Iadd9', 'Iadd9 iii7 IVmaj7 Iadd9'], minor: ['i9 bVImaj7', 'iadd9 bIIImaj7 bVImaj7 iv7'] },
    chordsPerBar: 0.5, comp: 'sustain', bass: 'long', melody: 'sparse',
    reverb: { seconds: 5, send: 0.45 }, brightness: 0.3, energy: 0.2, density: 0.25,
  },
  cinematic: {
    label: 'cinematic orchestral', tempo: [70, 100], minorBias: 0.65,
    instruments: ['piano', 'strings', 'brass', 'drums'], drums: 'normal', groove: 'cinematic', kit: 'orchestral',
    swing: 0, swingUnit: 8,
    progressions: { major: ['I V vi IV', 'I iii IV V', 'IV I V vi', 'I bVI bVII I'], minor: ['i bVI bIII bVII', 'i bVI iv V', 'i bVII bVI V', 'i iv bVI bVII'] },
    chordsPerBar: 1, comp: 'sustain', bass: 'long', melody: 'lyrical',
    reverb: { seconds: 3.2, send: 0.32 }, brightness: 0.45, energy: 0.6, density: 0.5, lowEndDb: -4,
  },
  'classical-piano': {
    label: 'classical piano', tempo: [66, 100], minorBias: 0.5,
    instruments: ['piano'], drums: 'none', groove: 'ambient', kit: 'acoustic',
    swing: 0, swingUnit: 8,
    progressions: { major: ['I IV V I', 'I vi IV V', 'I V vi iii IV I IV V', 'I ii V I'], minor: ['i iv V i', 'i bVI iv V', 'i iv bVII bIII bVI iiø7 V i'] },
    chordsPerBar: 1, comp: 'alberti', bass: 'long', melody: 'lyrical',
    reverb: { seconds: 2, send: 0.22 }, brightness: 0.45, energy: 0.4, density: 0.5,
  },
  jazz: {
    label: 'jazz', tempo: [100, 160], minorBias: 0.4,
    instruments: ['piano', 'bass', 'drums'], drums: 'light', groove: 'jazz', kit: 'brush',
    swing: 0.33, swingUnit: 8,
    progressions: { major: ['ii7 V7 Imaj7 vi7', 'Imaj7 vi7 ii7 V7', 'Imaj7 VI7 ii7 V7'], minor: ['iiø7 V7 i7 i7', 'i7 iv7 bVII7 bIIImaj7'] },
    chordsPerBar: 1, comp: 'jazz', bass: 'walking', melody: 'lyrical',
    reverb: { seconds: 1.4, send: 0.14 }, brightness: 0.45, energy: 0.45, density: 0.55,
  },
  funk: {
    label: 'funk', tempo: [96, 114], minorBias: 0.6,
    instruments: ['electric-guitar', 'brass', 'bass', 'drums'], drums: 'normal', groove: 'funk', kit: 'acoustic',
    swing: 0.08, swingUnit: 16,
    progressions: { major: ['I7 IV7', 'I9 I9 IV9 IV9'], minor: ['i7 IV7', 'i7 i7 iv7 bVII7'] },
    chordsPerBar: 1, comp: 'chops', bass: 'funk', melody: 'riff',
    reverb: { seconds: 0.9, send: 0.1 }, brightness: 0.65, energy: 0.75, density: 0.7,
  },
  rock: {
    label: 'rock', tempo: [110, 140], minorBias: 0.5,
    instruments: ['electric-guitar', 'bass', 'drums'], drums: 'normal', groove: 'rock', kit: 'acoustic',
    swing: 0, swingUnit: 8,
    progressions: { major: ['I V vi IV', 'I bVII IV I', 'I IV V IV'], minor: ['i bVI bIII bVII', 'i bVII bVI bVII', 'i iv bVII i'] },
    chordsPerBar: 1, comp: 'power', bass: 'driving', melody: 'riff',
    reverb: { seconds: 1.2, send: 0.12 }, brightness: 0.6, energy: 0.85, density: 0.6,
  },
  pop: {
    label: 'pop', tempo: [96, 124], minorBias: 0.35,
    instruments: ['piano', 'pad', 'lead', 'bass', 'drums'], drums: 'normal', groove: 'pop', kit: 'electronic',
    swing: 0, swingUnit: 16,
    progressions: { major: ['I V vi IV', 'vi IV I V', 'I vi IV V', 'IV I V vi'], minor: ['i bVI bIII bVII', 'i iv bVI bVII'] },
    chordsPerBar: 1, comp: 'broken', bass: 'pop', melody: 'hook',
    reverb: { seconds: 1.6, send: 0.18 }, brightness: 0.6, energy: 0.65, density: 0.55,
  },
  ballad: {
    label: 'ballad', tempo: [62, 80], minorBias: 0.5,
    instruments: ['piano', 'strings', 'bass', 'drums'], drums: 'light', groove: 'ballad', kit: 'acoustic',
    swing: 0, swingUnit: 8,
    progressions: { major: ['I V vi iii IV I IV V', 'I vi IV V', 'I iii IV V'], minor: ['i bVI bIII bVII', 'i iv bVII bIII', 'i bVI iv V'] },
    chordsPerBar: 1, comp: 'broken', bass: 'long', melody: 'lyrical',
    reverb: { seconds: 2.4, send: 0.26 }, brightness: 0.4, energy: 0.4, density: 0.45,
  },
  reggae: {
    label: 'reggae', tempo: [70, 90], minorBias: 0.4,
    instruments: ['organ', 'electric-guitar', 'bass', 'drums'], drums: 'normal', groove: 'one-drop', kit: 'acoustic',
    swing: 0.12, swingUnit: 16,
    progressions: { major: ['I IV', 'I V vi IV', 'I IV I V'], minor: ['i iv', 'i bVII bVI bVII'] },
    chordsPerBar: 1, comp: 'skank', bass: 'reggae', melody: 'riff',
    reverb: { seconds: 1.3, send: 0.14 }, brightness: 0.5, energy: 0.55, density: 0.5,
  },
  chiptune: {
    label: 'chiptune', tempo: [120, 160], minorBias: 0.4,
    instruments: ['chip', 'drums'], drums: 'normal', groove: 'chip', kit: 'chip',
    swing: 0, swingUnit: 16,
    progressions: { major: ['I V vi IV', 'I IV V I', 'vi IV V I'], minor: ['i bVI bVII i', 'i bVII bVI V'] },
    chordsPerBar: 1, comp: 'chip-arp', bass: 'octaves', melody: 'hook',
    reverb: { seconds: 0.6, send: 0.06 }, brightness: 0.7, energy: 0.7, density: 0.65,
  },
};

/** How a mood nudges the plan. Tempo/energy/brightness/density are shifts in −1..1 units. */
export interface MoodTraits {
  mode?: 'major' | 'minor';
  tempo: number;
  energy: number;
  brightness: number;
  density: number;
  /** genres that suit the mood, for prompts that name none */
  genres: readonly GenreId[];
}

export const MOOD_TRAITS: Record<MoodId, MoodTraits> = {
  calm: { tempo: -0.5, energy: -0.3, brightness: -0.1, density: -0.2, genres: ['lofi', 'ambient', 'ballad'] },
  happy: { mode: 'major', tempo: 0.3, energy: 0.15, brightness: 0.2, density: 0.1, genres: ['pop', 'funk', 'reggae'] },
  sad: { mode: 'minor', tempo: -0.5, energy: -0.2, brightness: -0.2, density: -0.1, genres: ['ballad', 'lofi', 'classical-piano'] },
  dark: { mode: 'minor', tempo: 0, energy: 0.05, brightness: -0.3, density: 0, genres: ['trap', 'techno', 'cinematic'] },
  epic: { tempo: 0.1, energy: 0.35, brightness: 0.1, density: 0.2, genres: ['cinematic'] },
  dreamy: { tempo: -0.3, energy: -0.2, brightness: -0.1, density: -0.15, genres: ['ambient', 'lofi'] },
  energetic: { tempo: 0.6, energy: 0.35, brightness: 0.15, density: 0.2, genres: ['house', 'dnb', 'rock'] },
  tense: { mode: 'minor', tempo: 0.2, energy: 0.15, brightness: -0.05, density: 0.1, genres: ['cinematic', 'techno'] },
  romantic: { mode: 'major', tempo: -0.3, energy: -0.1, brightness: 0, density: 0, genres: ['ballad', 'jazz', 'classical-piano'] },
};

/** Genres an instrument suggests, for prompts that name instruments but no genre. */
export const INSTRUMENT_GENRES: Partial<Record<InstrumentId, readonly GenreId[]>> = {
  piano: ['classical-piano', 'ballad', 'jazz'],
  'electric-piano': ['lofi', 'jazz'],
  organ: ['reggae', 'jazz'],
  'acoustic-guitar': ['pop', 'ballad'],
  'electric-guitar': ['rock', 'funk'],
  strings: ['cinematic'],
  brass: ['cinematic', 'funk'],
  flute: ['cinematic', 'lofi'],
  clarinet: ['jazz', 'cinematic'],
  oboe: ['cinematic'],
  saxophone: ['jazz', 'lofi', 'funk'],
  bassoon: ['cinematic'],
  choir: ['cinematic', 'ambient'],
  '808': ['trap'],
  chip: ['chiptune'],
  pad: ['ambient'],
  bells: ['ambient'],
  vinyl: ['lofi'],
};

/** When nothing in the prompt points anywhere, the seed picks one of these. */
export const FALLBACK_GENRES: readonly GenreId[] = ['lofi', 'pop', 'house', 'ambient', 'jazz', 'cinematic'];
