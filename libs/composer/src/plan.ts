/** The structured interpretation of a prompt: everything the composer needs to know. */
import { Mode } from './theory/pitch';

export const GENRES = [
  'lofi', 'hiphop', 'trap', 'house', 'techno', 'dnb', 'ambient', 'cinematic',
  'classical-piano', 'jazz', 'funk', 'rock', 'pop', 'ballad', 'reggae', 'chiptune',
] as const;
export type GenreId = (typeof GENRES)[number];

export const MOODS = ['calm', 'happy', 'sad', 'dark', 'epic', 'dreamy', 'energetic', 'tense', 'romantic'] as const;
export type MoodId = (typeof MOODS)[number];

/** Display order of instruments, and the canonical order used everywhere. */
export const INSTRUMENTS = [
  'piano', 'electric-piano', 'organ', 'acoustic-guitar', 'electric-guitar', 'harp',
  'strings', 'brass', 'flute', 'clarinet', 'oboe', 'saxophone', 'bassoon', 'choir',
  'pad', 'lead', 'bells', 'chip',
  'bass', 'synth-bass', '808', 'drums', 'vinyl',
] as const;
export type InstrumentId = (typeof INSTRUMENTS)[number];

export type DrumIntensity = 'none' | 'light' | 'normal' | 'heavy';

export interface MusicPlan {
  genre: GenreId;
  /** strongest first; may be empty */
  moods: MoodId[];
  tempoBpm: number;
  key: { tonic: number; mode: Mode; name: string };
  beatsPerBar: 3 | 4;
  /** canonical order (see INSTRUMENTS); 'drums' is listed when drums play */
  instruments: InstrumentId[];
  drums: DrumIntensity;
  /** 0..1: loudness of the arrangement's peaks, drum and bass weight */
  energy: number;
  /** 0..1: filter cut-offs, register, hat level */
  brightness: number;
  /** 0..1: notes per bar in melody and accompaniment */
  density: number;
  /** 0..0.5: delay of off-beat subdivisions, as a fraction of the subdivision */
  swing: number;
  seed: number;
  /** a seamless loop (its tempo is fitted to a whole number of bars) */
  loop?: boolean;
  /** the form composed for the requested duration, section by section (set by renderMusic) */
  form?: FormSection[];
}

export interface FormSection {
  section: 'intro' | 'main' | 'variation' | 'bridge' | 'breakdown' | 'build' | 'outro';
  startBar: number;
  bars: number;
  /** a last bar cut short to this many beats, before the final chord */
  extraBeats?: number;
}
