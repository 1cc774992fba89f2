/**
 * Melody: a two-bar motif answered by a variation of itself, over the chords.
 *
 * Rhythm comes from per-style templates; pitch follows two rules of thumb for
 * singable lines: notes on strong beats (and long notes) are chord tones, the
 * others move by step through the scale; the line follows an arch contour and
 * phrase ends resolve to the chord's root or third. The answer re-uses the
 * motif's random draws, so it has the motif's shape over different chords.
 */
import { Rng } from '../random';
import { chordPitchClasses } from '../theory/chords';
import { Mode, pitchClass } from '../theory/pitch';
import { nearest, scaleNotes } from '../theory/scales';
import { BarPlan, chordAt } from './form';
import { PartContext } from './accompaniment';
import { Note } from './score';
import { MelodyKind } from './styles';

type Rhythm = [step: number, length: number][];

const RHYTHMS: Record<MelodyKind, Rhythm[]> = {
  lyrical: [
    [[0, 6], [6, 2], [8, 4], [12, 4]],
    [[0, 4], [4, 4], [8, 8]],
    [[0, 3], [3, 3], [6, 2], [8, 8]],
    [[2, 2], [4, 4], [8, 4], [12, 2], [14, 2]],
  ],
  hook: [
    [[0, 2], [2, 2], [4, 3], [7, 3], [10, 2], [12, 4]],
    [[0, 3], [3, 3], [6, 2], [8, 2], [10, 2], [12, 4]],
    [[2, 2], [4, 2], [6, 2], [8, 4], [12, 2], [14, 2]],
  ],
  riff: [
    [[0, 1], [2, 1], [3, 2], [6, 2], [10, 1], [11, 3]],
    [[0, 2], [3, 1], [4, 2], [7, 2], [10, 2], [14, 2]],
  ],
  sparse: [
    [[0, 8], [10, 6]],
    [[4, 4], [8, 8]],
    [[0, 12]],
    [[2, 4], [8, 6]],
  ],
  sequence: [
    [[0, 1], [2, 1], [3, 1], [6, 1], [8, 1], [10, 1], [11, 1], [14, 1]],
    [[0, 1], [3, 1], [6, 1], [8, 1], [9, 1], [12, 1], [14, 1]],
  ],
};

export interface MelodySpec {
  kind: MelodyKind;
  low: number;
  high: number;
  tonic: number;
  mode: Mode;
}

/** Melody for every bar of the given sections; identical sections get identical melodies. */
export function composeMelody(spec: MelodySpec, ctx: PartContext): Note[] {
  const { form, timeline } = ctx;
  const out: Note[] = [];
  const scale = scaleNotes(spec.tonic, spec.mode, spec.low, spec.high);
  const motifRng = ctx.rng.fork('motif');
  const rhythms = {
    main: [motifRng.pick(RHYTHMS[spec.kind]), motifRng.pick(RHYTHMS[spec.kind])],
    variation: [motifRng.pick(RHYTHMS[spec.kind]), motifRng.pick(RHYTHMS[spec.kind])],
    bridge: [motifRng.pick(RHYTHMS[spec.kind]), motifRng.pick(RHYTHMS[spec.kind])],
  };
  const seeds = { main: motifRng.seed(), variation: motifRng.seed(), bridge: motifRng.seed() };
  let previous = nearest(scale, (spec.low + spec.high) / 2);
  for (const bar of form.bars) {
    if (ctx.playsIn && !ctx.playsIn(bar)) continue;
    const kind = bar.section === 'variation' ? 'variation' : bar.section === 'bridge' ? 'bridge' : 'main';
    const phraseBar = bar.barInSection % 4;
    // Bars 0 and 2 of a phrase share draws (motif and its answer); 1 and 3 too. The
    // second half of an 8-bar section, and every other return of a theme, keep the
    // rhythm but draw new pitches: the theme varied rather than repeated.
    const variant = (Math.floor(bar.barInSection / 4) + bar.round) % 2;
    const rng = new Rng(seeds[kind] + (phraseBar % 2) * 7919 + variant * 104729);
    const isCadence = phraseBar === 3 || bar.isSectionEnd;
    let rhythm = rhythms[kind][phraseBar % 2].filter(([step]) => step < timeline.stepsPerBar);
    rhythm = thin(rhythm, ctx.density, rng);
    if (isCadence) rhythm = cadenceRhythm(rhythm, timeline.stepsPerBar);
    rhythm.forEach(([step, length], i) => {
      const chord = chordAt(bar, step);
      const tones = chordPitchClasses(chord);
      const strong = step % 4 === 0 || length >= 4;
      const last = isCadence && i === rhythm.length - 1;
      // Arch: rise through the first half of the phrase, fall through the second.
      const direction = phraseBar < 2 ? 1 : -1;
      const drift = direction * rng.pick([1, 2, 2, 3]) * (rng.chance(0.25) ? -1 : 1);
      let midi: number;
      if (last) {
        midi = nearest(scale.filter((n) => pitchClass(n) === tones[0] || pitchClass(n) === tones[1]), previous);
      } else if (strong) {
        const chordTones = scale.filter((n) => tones.includes(pitchClass(n)));
        midi = nearest(chordTones.length ? chordTones : scale, previous + drift * 1.5);
      } else {
        const index = scale.indexOf(nearest(scale, previous));
        midi = scale[Math.max(0, Math.min(scale.length - 1, index + Math.sign(drift) * (Math.abs(drift) > 2 ? 2 : 1)))];
      }
      if (Math.abs(midi - previous) > 9) midi = nearest(scale, previous + Math.sign(midi - previous) * 4);
      previous = midi;
      const end = Math.min(step + length, timeline.stepsPerBar);
      out.push({
        start: timeline.time(bar.index, step) + rng.gaussian(0.005),
        duration: timeline.span(bar.index, step, end) * (length <= 1 ? 0.8 : 0.93),
        midi,
        velocity: velocityFor(ctx.level, bar, step, phraseBar, rng),
      });
    });
  }
  return out;
}

/** Sparser styles drop weak notes; the first note of the bar always stays. */
function thin(rhythm: Rhythm, density: number, rng: Rng): Rhythm {
  if (density >= 0.5) return rhythm;
  return rhythm.filter(([step], i) => i === 0 || step % 4 === 0 || rng.chance(density + 0.3));
}

/** A cadence bar ends on a long note: the last note is held to the bar's end. */
function cadenceRhythm(rhythm: Rhythm, stepsPerBar: number): Rhythm {
  const kept = rhythm.filter(([step]) => step < stepsPerBar - 4 || step === rhythm[0][0]);
  const lastStep = kept[kept.length - 1][0];
  return kept.map(([step, length]) => (step === lastStep ? [step, stepsPerBar - step] : [step, length]));
}

function velocityFor(level: number, bar: BarPlan, step: number, phraseBar: number, rng: Rng): number {
  const accent = step % 8 === 0 ? 1 : step % 4 === 0 ? 0.92 : 0.82;
  const arch = 0.9 + 0.1 * Math.sin((Math.PI * (phraseBar + step / 16)) / 4);
  const v = level * accent * arch * (0.8 + 0.2 * bar.energy) * (1 + rng.gaussian(0.05));
  return v < 0.05 ? 0.05 : v > 1 ? 1 : v;
}
