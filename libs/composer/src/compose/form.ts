/**
 * The form of a piece: which sections fit the duration, which section each bar
 * belongs to, and which chord sounds when.
 *
 * Short pieces are an intro, one or two themes and an outro. Longer ones
 * alternate a theme A (`main`) with a livelier B (`variation`), separated every
 * few phrases by a middle section, a `bridge` (new harmony and melody) or a
 * `breakdown` (drums and bass out) that ends in a `build` back to full energy;
 * no section is longer than 8 bars, and a theme's later returns (`round`) are
 * varied by the parts. Every piece that is not a loop ends on the tonic: the
 * outro settles on it, its last bar (which may be shortened to a few beats so
 * the final chord falls where the duration leaves a proportionate ring) turns to
 * the dominant in pieces long enough, and the tonic chord is struck at
 * `finalTime` and rings to the last frame.
 *
 * A loop has no intro, outro or final chord: a whole number of bars (the tempo
 * is adjusted to fit them, see loopTempo) whose end leads back to its start.
 */
import { FormSection } from '../plan';
import { Rng } from '../random';
import { Chord, parseNumeral, parseProgression } from '../theory/chords';
import { Mode } from '../theory/pitch';
import { GenreStyle } from './styles';

export type Section = FormSection['section'];

export interface BarPlan {
  index: number;
  section: Section;
  /** bar number within its section */
  barInSection: number;
  /** bars in its section */
  sectionBars: number;
  /** sections of the same kind before this one: a theme's returns are varied by it */
  round: number;
  /** last bar before a different section (or the ending): drums fill */
  isSectionEnd: boolean;
  /** 0..1 intensity of the bar */
  energy: number;
  /** chords of this bar with the step where each starts (sorted; the first starts at 0) */
  chords: { step: number; chord: Chord }[];
  /** beats played when the bar is cut short before the final chord; absent for whole bars */
  beats?: number;
}

/** A run of bars of one section, as listed in the plan. */
export type SectionSpan = FormSection;

export interface Form {
  bars: BarPlan[];
  sections: SectionSpan[];
  /** the tonic chord struck at `finalTime` and left to ring; null for a loop */
  finalChord: Chord | null;
  /** seconds at which the final chord is struck (the duration for a loop) */
  finalTime: number;
  loop: boolean;
}

export interface FormOptions {
  loop?: boolean;
  /** whether the piece has drums: a middle section is then a breakdown and build rather than a bridge */
  drums?: boolean;
}

const SECTION_ENERGY: Record<Section, number> = { intro: 0.62, main: 0.85, variation: 1, bridge: 0.82, breakdown: 0.55, build: 0.7, outro: 0.74 };
/** longest section, in bars: a phrase is repeated at most twice in a row */
const LONGEST_SECTION = 8;

/**
 * Seconds from the final chord to the end: long enough to let it ring, short
 * enough that the music plays until near the end (about a tenth of the piece).
 */
export function ringSeconds(durationSeconds: number): number {
  return Math.min(durationSeconds * 0.5, Math.min(3, Math.max(0.8, durationSeconds * 0.1)));
}

/**
 * The tempo at which a whole number of bars lasts exactly `durationSeconds`,
 * nearest the planned tempo (preferring 4, 8, 16… bars where that costs at most
 * a few percent more).
 */
export function loopTempo(tempoBpm: number, beatsPerBar: number, durationSeconds: number): number {
  const barSeconds = (60 / tempoBpm) * beatsPerBar;
  const exact = durationSeconds / barSeconds;
  const candidates = new Set([Math.max(1, Math.floor(exact)), Math.max(1, Math.ceil(exact))]);
  for (const unit of [4, 8, 16]) {
    candidates.add(Math.max(unit, Math.floor(exact / unit) * unit));
    candidates.add(Math.max(unit, Math.ceil(exact / unit) * unit));
  }
  const deviation = (bars: number) => Math.abs(Math.log(bars / exact));
  const cost = (bars: number) => deviation(bars) - (bars % 4 === 0 ? 0.04 : 0);
  const bars = [...candidates].sort((a, b) => cost(a) - cost(b) || a - b)[0];
  return (bars * beatsPerBar * 60) / durationSeconds;
}

/** Section spans for a body of `bars` bars (between intro and outro), and the bars left over. */
function bodyLayout(bars: number, drums: boolean): { spans: { section: Section; bars: number }[]; rest: number } {
  if (bars <= 0) return { spans: [], rest: 0 };
  if (bars < 6) return { spans: [{ section: 'main', bars }], rest: 0 };
  if (bars < 12) {
    const first = Math.ceil(bars / 2);
    return { spans: [{ section: 'main', bars: first }, { section: 'variation', bars: bars - first }], rest: 0 };
  }
  const phrase = bars >= 40 ? LONGEST_SECTION : 4;
  const count = Math.floor(bars / phrase);
  let rest = bars - count * phrase;
  // A, B, A, then a middle section every fourth phrase (never last); the theme after a middle is B.
  const kinds: ('A' | 'B' | 'M')[] = [];
  let sinceMiddle = 0;
  let afterMiddle = false;
  for (let i = 0; i < count; i++) {
    if (i >= 3 && (i - 3) % 4 === 0 && i <= count - 2) {
      kinds.push('M');
      sinceMiddle = 0;
      afterMiddle = true;
      continue;
    }
    kinds.push((sinceMiddle % 2 === 0) !== afterMiddle ? 'A' : 'B');
    sinceMiddle++;
  }
  // The last theme before the outro (or the loop's return to A) is the livelier B.
  const last = kinds.length - 1;
  if (last > 0 && kinds[last] === 'A') {
    // B then A becomes A then B where that makes no two A's meet; otherwise the last B is doubled.
    if (kinds[last - 1] === 'B' && kinds[last - 2] !== 'A') [kinds[last - 1], kinds[last]] = ['A', 'B'];
    else kinds[last] = 'B';
  }
  const spans: { section: Section; bars: number }[] = [];
  let middles = 0;
  for (const kind of kinds) {
    if (kind === 'A') spans.push({ section: 'main', bars: phrase });
    else if (kind === 'B') spans.push({ section: 'variation', bars: phrase });
    else {
      // Alternate the two kinds of middle; with drums the first is a breakdown, whose energy a build restores.
      const breakdown = drums ? middles % 2 === 0 : middles % 2 === 1;
      middles++;
      if (breakdown) {
        const build = phrase / 2;
        spans.push({ section: 'breakdown', bars: phrase - build }, { section: 'build', bars: build });
      } else spans.push({ section: 'bridge', bars: phrase });
    }
  }
  // Half a phrase or more left over: a build into the last theme (unless one leads into it already).
  if (rest >= 4 && spans.length > 1 && spans[spans.length - 2].section !== 'build') {
    spans.splice(spans.length - 1, 0, { section: 'build', bars: rest });
    rest = 0;
  }
  return { spans, rest };
}

/** The sections of a piece of `barCount` whole bars. */
export function sectionLayout(barCount: number, options: FormOptions = {}): SectionSpan[] {
  if (barCount <= 0) return [];
  const loop = options.loop ?? false;
  const intro = loop ? 0 : barCount >= 16 ? 4 : barCount >= 8 ? 2 : barCount >= 3 ? 1 : 0;
  const outro = loop ? 0 : barCount >= 24 ? 4 : barCount >= 10 ? 2 : barCount >= 5 ? 1 : 0;
  const body = bodyLayout(barCount - intro - outro, options.drums ?? true);
  const spans = [...body.spans];
  if (intro) spans.unshift({ section: 'intro', bars: intro });
  if (outro) spans.push({ section: 'outro', bars: outro });
  // Bars left over lengthen the last theme, or the outro where that theme is already 8 bars long.
  if (body.rest > 0) {
    const lastTheme = body.spans[body.spans.length - 1];
    const target = lastTheme.bars + body.rest <= LONGEST_SECTION || !outro ? lastTheme : spans[spans.length - 1];
    target.bars += body.rest;
  }
  let startBar = 0;
  return spans.map((span) => {
    const result = { ...span, startBar };
    startBar += span.bars;
    return result;
  });
}

export function planForm(
  style: GenreStyle,
  tonic: number,
  mode: Mode,
  beatSeconds: number,
  beatsPerBar: number,
  durationSeconds: number,
  rng: Rng,
  options: FormOptions = {},
): Form {
  const loop = options.loop ?? false;
  const stepsPerBar = beatsPerBar * 4;
  const barSeconds = beatSeconds * beatsPerBar;
  let barCount: number;
  let extraBeats = 0;
  if (loop) {
    barCount = Math.max(1, Math.round(durationSeconds / barSeconds));
  } else {
    const music = durationSeconds - ringSeconds(durationSeconds);
    barCount = Math.max(0, Math.floor(music / barSeconds + 1e-9));
    extraBeats = Math.max(0, Math.floor((music - barCount * barSeconds) / beatSeconds + 1e-9));
  }
  const pool = style.progressions[mode];
  const mainText = rng.pick(pool);
  const variationText = pool.length > 1 ? rng.pick(pool.filter((p) => p !== mainText)) : mainText;
  const others = pool.filter((p) => p !== mainText && p !== variationText);
  const bridgeText = others.length ? rng.pick(others) : mode === 'minor' ? 'bVI bVII iv V' : 'IV V iii vi';
  const progressions: Record<Section, Chord[]> = {
    intro: parseProgression(mainText, tonic),
    main: parseProgression(mainText, tonic),
    variation: parseProgression(variationText, tonic),
    bridge: parseProgression(bridgeText, tonic),
    breakdown: parseProgression(mainText, tonic),
    build: parseProgression(mainText, tonic),
    outro: parseProgression(outroProgression(pool, mode), tonic),
  };
  const dominant = parseNumeral('V7', tonic);
  const sections = sectionLayout(barCount, options);
  if (extraBeats > 0) {
    if (sections.length === 0) sections.push({ section: 'main', startBar: 0, bars: 0 });
    sections[sections.length - 1].extraBeats = extraBeats;
  }
  const chordSteps = stepsPerBar / style.chordsPerBar;
  const rounds = new Map<Section, number>();
  const bars: BarPlan[] = [];
  for (const [spanIndex, span] of sections.entries()) {
    const round = rounds.get(span.section) ?? 0;
    rounds.set(span.section, round + 1);
    const progression = progressions[span.section];
    const total = span.bars + (span.extraBeats ? 1 : 0);
    for (let barInSection = 0; barInSection < total; barInSection++) {
      const index = span.startBar + barInSection;
      const chords: BarPlan['chords'] = [];
      const barStartStep = barInSection * stepsPerBar;
      for (let step = 0; step < stepsPerBar; step += Math.min(chordSteps, stepsPerBar)) {
        const position = Math.floor((barStartStep + step) / chordSteps);
        chords.push({ step, chord: progression[position % progression.length] });
      }
      const lastOfPiece = spanIndex === sections.length - 1 && barInSection === total - 1;
      // The cadence: the dominant for the second half of the bar before the final tonic (in
      // pieces long enough that it cannot cloud the key) and of a build's last bar.
      if ((lastOfPiece && !loop && barCount >= 8) || (span.section === 'build' && barInSection === total - 1)) {
        const half = stepsPerBar / 2;
        const kept = chords.filter((c) => c.step < half);
        chords.length = 0;
        chords.push(...kept, { step: half, chord: dominant });
      }
      let energy = Math.min(1, SECTION_ENERGY[span.section] + 0.04 * Math.min(round, 3));
      if (span.section === 'build') energy = 0.6 + (0.4 * (barInSection + 1)) / total;
      if (span.section === 'outro') energy = SECTION_ENERGY.outro * (1 - (0.15 * barInSection) / Math.max(1, total));
      bars.push({
        index,
        section: span.section,
        barInSection,
        sectionBars: total,
        round,
        isSectionEnd: barInSection === total - 1,
        energy,
        chords,
        ...(span.extraBeats && barInSection === span.bars ? { beats: span.extraBeats } : {}),
      });
    }
  }
  // The piece ends on the plain tonic triad: the clearest statement of the key.
  const finalChord = loop ? null : parseNumeral(mode === 'minor' ? 'i' : 'I', tonic);
  const finalTime = loop ? durationSeconds : barCount * barSeconds + extraBeats * beatSeconds;
  return { bars, sections, finalChord, finalTime, loop };
}

/**
 * The outro settles on the tonic, with the subdominant for motion (I IV I I), in
 * the style's own colours where its progressions have them (Imaj7, iv7…).
 */
function outroProgression(pool: readonly string[], mode: Mode): string {
  const symbols = pool.flatMap((p) => p.trim().split(/\s+/));
  const tonicNumeral = mode === 'minor' ? 'i' : 'I';
  const subdominantNumeral = mode === 'minor' ? 'iv' : 'IV';
  const find = (numeral: string) => symbols.find((s) => s.startsWith(numeral) && !/^[iv]/i.test(s.slice(numeral.length))) ?? numeral;
  const home = find(tonicNumeral);
  return `${home} ${find(subdominantNumeral)} ${home} ${home}`;
}

/** The chord sounding at `step` of the bar. */
export function chordAt(bar: BarPlan, step: number): Chord {
  let current = bar.chords[0].chord;
  for (const c of bar.chords) if (c.step <= step) current = c.chord;
  return current;
}
