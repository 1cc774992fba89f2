/**
 * Prompt → MusicPlan. First the prompt is reduced to language-independent
 * features (genre, moods, tempo, key, metre, instruments); then the plan is built
 * from the features and the seed alone, so an English prompt and its Korean
 * translation yield the same plan, and whatever the prompt leaves open is
 * decided by the seed. Words that mean nothing to us are ignored.
 */
import { GenreStyle, FALLBACK_GENRES, INSTRUMENT_GENRES, MOOD_TRAITS, STYLES } from '../compose/styles';
import { INSTRUMENT_INFO } from '../instruments';
import { DrumIntensity, GenreId, GENRES, INSTRUMENTS, InstrumentId, MoodId, MOODS, MusicPlan } from '../plan';
import { Rng } from '../random';
import { keyName, letterToPitchClass, Mode } from '../theory/pitch';
import {
  DRUM_INTENSITY_PHRASES, DUPLE_METER_PHRASES, GENRE_PHRASES, INSTRUMENT_PHRASES, MOOD_PHRASES, NEGATION_AFTER_KO,
  NEGATION_BEFORE_EN, ONLY_AFTER_KO, Phrases, SOLO_PHRASES, TEMPO_PHRASES, TRIPLE_METER_PHRASES,
} from './lexicon';

export interface PromptFeatures {
  genre?: GenreId;
  /** canonical order */
  moods: MoodId[];
  bpm?: number;
  tempoWord?: 'slow' | 'fast';
  tonic?: number;
  mode?: Mode;
  beatsPerBar?: 3 | 4;
  /** asked for, canonical order, drums excluded */
  instruments: InstrumentId[];
  /** asked to leave out, canonical order */
  excluded: InstrumentId[];
  drums?: DrumIntensity;
  solo: boolean;
}

type Meaning =
  | { kind: 'genre'; value: GenreId }
  | { kind: 'mood'; value: MoodId }
  | { kind: 'instrument'; value: InstrumentId }
  | { kind: 'drums'; value: DrumIntensity }
  | { kind: 'tempo'; value: 'slow' | 'fast' }
  | { kind: 'meter'; value: 3 | 4 }
  | { kind: 'solo' };

interface Match {
  start: number;
  end: number;
  meaning: Meaning;
}

interface LexiconPattern {
  regex: RegExp;
  meaning: Meaning;
}

const LEXICON: LexiconPattern[] = buildLexicon();

function buildLexicon(): LexiconPattern[] {
  const patterns: LexiconPattern[] = [];
  const add = (phrases: Phrases, meaning: Meaning) => {
    for (const phrase of phrases.en) patterns.push({ regex: englishPattern(phrase), meaning });
    for (const phrase of phrases.ko) patterns.push({ regex: koreanPattern(phrase), meaning });
  };
  for (const genre of GENRES) add(GENRE_PHRASES[genre], { kind: 'genre', value: genre });
  for (const mood of MOODS) add(MOOD_PHRASES[mood], { kind: 'mood', value: mood });
  for (const instrument of INSTRUMENTS) add(INSTRUMENT_PHRASES[instrument], { kind: 'instrument', value: instrument });
  for (const [value, phrases] of Object.entries(DRUM_INTENSITY_PHRASES) as [DrumIntensity, Phrases][]) add(phrases, { kind: 'drums', value });
  add(TEMPO_PHRASES.slow, { kind: 'tempo', value: 'slow' });
  add(TEMPO_PHRASES.fast, { kind: 'tempo', value: 'fast' });
  add(TRIPLE_METER_PHRASES, { kind: 'meter', value: 3 });
  add(DUPLE_METER_PHRASES, { kind: 'meter', value: 4 });
  add(SOLO_PHRASES, { kind: 'solo' });
  return patterns;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whole words; a space or hyphen in the phrase matches any run of spaces/hyphens. */
function englishPattern(phrase: string): RegExp {
  const body = phrase.split(/[\s-]+/).map(escape).join('[\\s-]*');
  return new RegExp(`(?<![a-z0-9])${body}(?![a-z0-9])`, 'g');
}

/** Inside words; spaces in the phrase are optional (Korean spacing varies). */
function koreanPattern(phrase: string): RegExp {
  return new RegExp(phrase.split(/\s+/).map(escape).join('\\s*'), 'g');
}

/** All lexicon matches, overlaps resolved in favour of the longest (then the earliest). */
function findMatches(text: string): Match[] {
  const all: Match[] = [];
  for (const { regex, meaning } of LEXICON) {
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m; m = regex.exec(text)) {
      all.push({ start: m.index, end: m.index + m[0].length, meaning });
      if (m[0].length === 0) regex.lastIndex++;
    }
  }
  all.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken: Match[] = [];
  for (const match of all) if (!taken.some((t) => match.start < t.end && t.start < match.end)) taken.push(match);
  return taken.sort((a, b) => a.start - b.start);
}

const BPM_PATTERNS = [
  /(\d{2,3}(?:\.\d+)?)\s*(?:bpm|b\.p\.m\.?|beats per minute|비피엠)/,
  /(?:tempo|템포|bpm)\s*(?:of|=|:|은|는|을|를)?\s*(\d{2,3}(?:\.\d+)?)/,
];
const MIN_BPM = 40;
const MAX_BPM = 220;

const KOREAN_NOTE_LETTERS: Record<string, string> = { 다: 'c', 라: 'd', 마: 'e', 바: 'f', 사: 'g', 가: 'a', 나: 'b' };

/**
 * Key and/or mode. "in A minor", "D major", "F# minor", "Bb major", "F# 단조",
 * "C 장조", "올림바단조", "A 마이너"; a bare "minor key"/"단조" sets only the mode.
 * Lower-case "a minor"/"a major" counts as a key only after "in" or "key of", since
 * "a minor key" usually means "some minor key".
 */
function findKey(original: string, text: string): { tonic?: number; mode?: Mode } {
  const modeOf = (word: string): Mode => (/^(major|maj|장조|메이저)$/.test(word) ? 'major' : 'minor');
  const accidentalOf = (word = ''): -1 | 0 | 1 => (/^(#|♯|sharp|-sharp|올림)$/.test(word.trim()) ? 1 : /^(b|♭|flat|-flat|내림)$/.test(word.trim()) ? -1 : 0);
  const latin = /(?<![a-z0-9])(in\s+(?:the\s+key\s+of\s+)?|key\s+of\s+)?([a-g])\s*(#|♯|b|♭|\s+sharp|-sharp|\s+flat|-flat)?\s*(major|minor|maj|min|장조|단조|메이저|마이너)(?![a-z])/g;
  for (let m = latin.exec(text); m; m = latin.exec(text)) {
    const [, lead, letter, accidental, modeWord] = m;
    const letterIsUpper = original[m.index + (lead?.length ?? 0)] === letter.toUpperCase();
    const followedByKey = /^\s+key/.test(text.slice(m.index + m[0].length));
    if (letter === 'a' && !accidental && !letterIsUpper) {
      if (followedByKey) return { mode: modeOf(modeWord) };
      if (!lead) continue;
    }
    const tonic = letterToPitchClass(letter, accidentalOf(accidental));
    if (tonic !== null) return { tonic, mode: modeOf(modeWord) };
  }
  const korean = /(?:^|[\s,(])(올림|내림)?\s*([다라마바사가나])\s*(장조|단조)/.exec(text);
  if (korean) {
    const tonic = letterToPitchClass(KOREAN_NOTE_LETTERS[korean[2]], accidentalOf(korean[1]));
    if (tonic !== null) return { tonic, mode: modeOf(korean[3]) };
  }
  const modeOnly = /(?<![a-z])(major|minor)\s+(?:key|scale|mode)|(?<![a-z])in\s+(major|minor)(?![a-z])|(장조|단조|마이너|메이저)/.exec(text);
  if (modeOnly) return { mode: modeOf(modeOnly[1] ?? modeOnly[2] ?? modeOnly[3]) };
  return {};
}

function findBpm(text: string): number | undefined {
  for (const pattern of BPM_PATTERNS) {
    const m = pattern.exec(text);
    if (m) {
      const bpm = Number(m[1]);
      if (bpm >= MIN_BPM && bpm <= MAX_BPM) return Math.round(bpm * 10) / 10;
    }
  }
  return undefined;
}

function canonical<T>(order: readonly T[], values: Iterable<T>): T[] {
  const set = new Set(values);
  return order.filter((v) => set.has(v));
}

/** The language-independent content of a prompt. */
export function extractFeatures(prompt: string): PromptFeatures {
  const original = prompt.normalize('NFKC');
  const text = original.toLowerCase().replace(/[’‘]/g, "'");
  const matches = findMatches(text);
  const features: PromptFeatures = { moods: [], instruments: [], excluded: [], solo: false };
  const moods = new Set<MoodId>();
  const wanted = new Set<InstrumentId>();
  const excluded = new Set<InstrumentId>();
  let drumsMentioned = false;
  for (const { start, end, meaning } of matches) {
    switch (meaning.kind) {
      case 'genre':
        features.genre ??= meaning.value;
        break;
      case 'mood':
        moods.add(meaning.value);
        break;
      case 'tempo':
        features.tempoWord ??= meaning.value;
        break;
      case 'meter':
        features.beatsPerBar ??= meaning.value;
        break;
      case 'solo':
        features.solo = true;
        break;
      case 'drums':
        features.drums = meaning.value;
        break;
      case 'instrument': {
        const negated = NEGATION_BEFORE_EN.test(text.slice(Math.max(0, start - 16), start)) || NEGATION_AFTER_KO.test(text.slice(end, end + 8));
        if (ONLY_AFTER_KO.test(text.slice(end, end + 3))) features.solo = true;
        if (meaning.value === 'drums') {
          if (negated) features.drums = 'none';
          else drumsMentioned = true;
        } else (negated ? excluded : wanted).add(meaning.value);
        break;
      }
    }
  }
  if (drumsMentioned && features.drums === undefined) features.drums = 'normal';
  features.moods = canonical(MOODS, moods);
  features.instruments = canonical(INSTRUMENTS, wanted);
  features.excluded = canonical(INSTRUMENTS, excluded);
  features.bpm = findBpm(text);
  const key = findKey(original, text);
  if (key.tonic !== undefined) features.tonic = key.tonic;
  if (key.mode) features.mode = key.mode;
  return features;
}

const MAJOR_TONICS = [0, 2, 4, 5, 7, 9, 10, 3];
const MINOR_TONICS = [9, 4, 2, 0, 7, 6, 11, 5];

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Interprets a prompt into a plan; deterministic in (prompt, seed). */
export function interpretPrompt(prompt: string, seed: number): MusicPlan {
  return planFromFeatures(extractFeatures(prompt), seed);
}

export function planFromFeatures(features: PromptFeatures, seed: number): MusicPlan {
  const normalisedSeed = Math.floor(Number.isFinite(seed) ? seed : 0) >>> 0;
  const rng = new Rng(normalisedSeed).fork('plan');
  // A fixed number of draws in a fixed order, whether or not they are used, so a
  // choice the prompt makes never shifts the choices it leaves to the seed.
  const draw = { genre: rng.next(), tempo: rng.next(), tonic: rng.next(), mode: rng.next(), colour: rng.next(), colourPick: rng.next() };

  const genre = features.genre ?? chooseGenre(features, draw.genre);
  const style: GenreStyle = STYLES[genre];
  const traits = features.moods.map((m) => MOOD_TRAITS[m]);
  const sum = (pick: (t: (typeof traits)[number]) => number) => traits.reduce((s, t) => s + pick(t), 0);

  const mode: Mode = features.mode ?? traits.find((t) => t.mode)?.mode ?? (draw.mode < style.minorBias ? 'minor' : 'major');
  const tonicChoices = mode === 'major' ? MAJOR_TONICS : MINOR_TONICS;
  const tonic = features.tonic ?? tonicChoices[Math.floor(draw.tonic * tonicChoices.length)];

  const tempoBpm = features.bpm ?? chooseTempo(style, sum((t) => t.tempo), features.tempoWord, draw.tempo);

  const drums = chooseDrums(features, style);
  const instruments = chooseInstruments(features, genre, drums, draw.colour, draw.colourPick);

  const energyBoost = drums === 'heavy' ? 0.15 : drums === 'light' ? -0.1 : 0;
  return {
    genre,
    moods: features.moods,
    tempoBpm,
    key: { tonic, mode, name: keyName(tonic, mode) },
    beatsPerBar: features.beatsPerBar ?? 4,
    instruments,
    drums,
    energy: round2(clamp(style.energy + 0.5 * sum((t) => t.energy) + energyBoost, 0.05, 1)),
    brightness: round2(clamp(style.brightness + 0.5 * sum((t) => t.brightness), 0.05, 1)),
    density: round2(clamp(style.density + 0.5 * sum((t) => t.density), 0.1, 1)),
    swing: style.swing,
    seed: normalisedSeed,
  };
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

function chooseGenre(features: PromptFeatures, draw: number): GenreId {
  const fromMoods = features.moods.flatMap((m) => MOOD_TRAITS[m].genres);
  const fromInstruments = features.instruments.flatMap((i) => INSTRUMENT_GENRES[i] ?? []);
  const both = fromMoods.filter((g) => fromInstruments.includes(g));
  const candidates = canonical(GENRES, both.length ? both : fromMoods.length ? fromMoods : fromInstruments.length ? fromInstruments : FALLBACK_GENRES);
  return candidates[Math.floor(draw * candidates.length)];
}

function chooseTempo(style: GenreStyle, moodShift: number, word: 'slow' | 'fast' | undefined, draw: number): number {
  let [low, high] = style.tempo;
  let position = clamp(0.5 + 0.4 * moodShift + (draw - 0.5) * 0.5, 0, 1);
  if (word === 'slow') {
    low *= 0.85;
    position = 0.1 * draw;
  } else if (word === 'fast') {
    high *= 1.1;
    position = 1 - 0.1 * draw;
  }
  return Math.round(low + position * (high - low));
}

function chooseDrums(features: PromptFeatures, style: GenreStyle): DrumIntensity {
  if (features.drums) return features.drums === 'normal' && style.drums !== 'none' ? style.drums : features.drums;
  if (features.solo) return 'none';
  if (style.drums === 'normal' && features.moods.some((m) => m === 'calm' || m === 'dreamy')) return 'light';
  if (style.drums === 'normal' && features.moods.some((m) => m === 'epic' || m === 'energetic')) return 'heavy';
  return style.drums;
}

/** Colour instruments the seed may add when the prompt names none. */
const COLOUR: Partial<Record<GenreId, readonly InstrumentId[]>> = {
  lofi: ['acoustic-guitar', 'bells', 'strings', 'flute', 'saxophone'],
  hiphop: ['strings', 'bells'],
  house: ['organ', 'bells'],
  ambient: ['strings', 'harp', 'choir'],
  cinematic: ['harp', 'bells', 'flute', 'choir'],
  pop: ['acoustic-guitar', 'bells'],
  ballad: ['acoustic-guitar', 'harp'],
  jazz: ['electric-piano', 'saxophone'],
  dnb: ['bells', 'piano'],
  trap: ['piano', 'strings'],
};

/**
 * The default instruments a genre keeps when the prompt names others: what makes
 * it that genre (besides a bass line under drums, which every band keeps).
 */
const ESSENTIAL: Partial<Record<GenreId, readonly InstrumentId[]>> = {
  lofi: ['vinyl'],
  trap: ['808'],
  techno: ['pad'],
  dnb: ['pad'],
  ambient: ['pad'],
  cinematic: ['strings'],
  rock: ['electric-guitar'],
  chiptune: ['chip'],
};

/** What stands in when the prompt leaves nothing to play: the first of these it does not exclude. */
const LAST_RESORT: readonly InstrumentId[] = ['piano', 'pad', 'strings', 'acoustic-guitar'];

function chooseInstruments(features: PromptFeatures, genre: GenreId, drums: DrumIntensity, colourDraw: number, pickDraw: number): InstrumentId[] {
  const style = STYLES[genre];
  const wanted = features.instruments;
  // Instruments the genre does not have by default replace its defaults: of those, only
  // what the genre needs stays. ("Ambient pads" names the genre's own sound and changes nothing.)
  // Single-line instruments alone (a flute, a saxophone) leave the harmony to the genre's own.
  const foreign = wanted.some((i) => !style.instruments.includes(i));
  const linesOnly = wanted.every((i) => INSTRUMENT_INFO[i].primary === 'melody');
  const harmony = (i: InstrumentId) => INSTRUMENT_INFO[i].primary === 'chords' || INSTRUMENT_INFO[i].primary === 'pad';
  const keeps = (i: InstrumentId) =>
    !foreign || (ESSENTIAL[genre] ?? []).includes(i) || (INSTRUMENT_INFO[i].primary === 'bass' && drums !== 'none') || (linesOnly && harmony(i));
  const chosen = new Set<InstrumentId>(features.solo ? [] : style.instruments.filter((i) => i !== 'drums' && keeps(i)));
  for (const instrument of wanted) {
    const role = INSTRUMENT_INFO[instrument].primary;
    for (const existing of [...chosen]) if (!wanted.includes(existing) && INSTRUMENT_INFO[existing].primary === role) chosen.delete(existing);
    chosen.add(instrument);
  }
  const colour = features.solo || wanted.length ? [] : (COLOUR[genre] ?? []).filter((i) => !chosen.has(i) && !features.excluded.includes(i));
  if (colour.length && colourDraw < 0.5) chosen.add(colour[Math.floor(pickDraw * colour.length)]);
  for (const instrument of features.excluded) chosen.delete(instrument);
  if (drums !== 'none') chosen.add('drums');
  else chosen.delete('drums');
  if (chosen.size === 0 || [...chosen].every((i) => i === 'drums' || i === 'vinyl')) {
    chosen.add(LAST_RESORT.find((i) => !features.excluded.includes(i)) ?? 'pad');
  }
  return canonical(INSTRUMENTS, chosen);
}
