/**
 * The form of a piece: how many bars fit the duration, which section each bar
 * belongs to, and which chord sounds when.
 */
import { Rng } from '../random';
import { Chord, parseNumeral, parseProgression } from '../theory/chords';
import { Mode } from '../theory/pitch';
import { GenreStyle } from './styles';

export type Section = 'intro' | 'main' | 'variation' | 'outro';

export interface BarPlan {
  index: number;
  section: Section;
  /** bar number within its section */
  barInSection: number;
  /** last bar before a different section (or the ending): drums fill */
  isSectionEnd: boolean;
  /** 0..1 intensity of the section */
  energy: number;
  /** chords of this bar with the step where each starts (sorted; the first starts at 0) */
  chords: { step: number; chord: Chord }[];
}

export interface Form {
  bars: BarPlan[];
  /** the tonic chord struck at the start of bar `bars.length` and left to ring */
  finalChord: Chord;
  /** seconds at which the final chord is struck */
  finalTime: number;
}

const SECTION_ENERGY: Record<Section, number> = { intro: 0.62, main: 0.85, variation: 1, outro: 0.7 };

/** Time after the last full bar: the final chord rings and fades out here. */
export function tailSeconds(durationSeconds: number): number {
  return Math.min(4, Math.max(1.2, durationSeconds * 0.12));
}

export function sectionLayout(barCount: number): Section[] {
  if (barCount <= 0) return [];
  const intro = barCount >= 12 ? 4 : barCount >= 6 ? 2 : barCount >= 3 ? 1 : 0;
  const outro = barCount >= 10 ? 2 : barCount >= 5 ? 1 : 0;
  const body = barCount - intro - outro;
  const phrase = body >= 16 ? 8 : 4;
  const sections: Section[] = Array<Section>(intro).fill('intro');
  for (let i = 0; i < body; i++) sections.push(body <= phrase ? 'main' : Math.floor(i / phrase) % 2 === 0 ? 'main' : 'variation');
  for (let i = 0; i < outro; i++) sections.push('outro');
  return sections;
}

export function planForm(
  style: GenreStyle,
  tonic: number,
  mode: Mode,
  barSeconds: number,
  stepsPerBar: number,
  durationSeconds: number,
  rng: Rng,
): Form {
  const barCount = Math.max(0, Math.floor((durationSeconds - tailSeconds(durationSeconds)) / barSeconds));
  const pool = style.progressions[mode];
  const mainText = rng.pick(pool);
  const mainProgression = parseProgression(mainText, tonic);
  const variationProgression = parseProgression(pool.length > 1 ? rng.pick(pool.filter((p) => p !== mainText)) : mainText, tonic);
  const sections = sectionLayout(barCount);
  const chordSteps = stepsPerBar / style.chordsPerBar;
  const bars: BarPlan[] = [];
  let sectionStart = 0;
  sections.forEach((section, index) => {
    if (index > 0 && sections[index - 1] !== section) sectionStart = index;
    const progression = section === 'variation' ? variationProgression : mainProgression;
    const chords: BarPlan['chords'] = [];
    const barStartStep = (index - sectionStart) * stepsPerBar;
    for (let step = 0; step < stepsPerBar; step += Math.min(chordSteps, stepsPerBar)) {
      const position = Math.floor((barStartStep + step) / chordSteps);
      chords.push({ step, chord: progression[position % progression.length] });
    }
    bars.push({
      index,
      section,
      barInSection: index - sectionStart,
      isSectionEnd: index === sections.length - 1 || sections[index + 1] !== section,
      energy: SECTION_ENERGY[section],
      chords,
    });
  });
  // The piece ends on the plain tonic triad: the clearest statement of the key.
  const finalChord = parseNumeral(mode === 'minor' ? 'i' : 'I', tonic);
  return { bars, finalChord, finalTime: barCount * barSeconds };
}

/** The chord sounding at `step` of the bar. */
export function chordAt(bar: BarPlan, step: number): Chord {
  let current = bar.chords[0].chord;
  for (const c of bar.chords) if (c.step <= step) current = c.chord;
  return current;
}
