/**
 * Drum grooves per genre, written as step strings (one character per sixteenth:
 * 'X' accent, 'x' normal, 'o' ghost, '.' rest), and the drum part built from them.
 *
 * Every groove puts a kick or a snare/clap on (nearly) every beat and keeps hats
 * quieter, and no two kicks sit an eighth note apart (syncopated kicks fall a
 * sixteenth or a dotted eighth from their neighbours): kicks and snares are what a
 * listener — and the tempo estimator — locks onto as the beat, so the rendered
 * tempo reads as the requested one, not its double or half.
 */
import { DrumIntensity, MusicPlan } from '../plan';
import { Rng } from '../random';
import { BarPlan, Form } from './form';
import { DrumPiece, Note, Timeline, Track } from './score';
import { DrumKit, GrooveId } from './styles';

type PatternBar = Partial<Record<DrumPiece, string>>;

interface Groove {
  intro: PatternBar;
  A: PatternBar;
  B: PatternBar;
  fill: PatternBar;
  /** crash cymbal at the start of main sections */
  crash: boolean;
}

const GROOVES: Record<GrooveId, Groove> = {
  boombap: {
    intro: { kick: 'X...............', 'closed-hat': 'x.x.x.x.x.x.x.x.' },
    A: { kick: 'X......xX.......', snare: '....X.......X...', 'closed-hat': 'X.x.X.x.X.x.X.x.' },
    B: { kick: 'X..x....X......x', snare: '....X.......X...', 'closed-hat': 'X.x.X.x.X.x.X.xo' },
    fill: { kick: 'X......xX.......', snare: '....X.......XoXx', 'closed-hat': 'X.x.X.x.X.x.....' },
    crash: false,
  },
  // Half time at the full tempo: the clap lands once a bar, on beat 3, while the
  // kick (and the 808 with it) and a soft rim mark the other beats and the hats
  // run accented eighths, then sixteenth rolls — a 140 bpm track that feels like
  // 70 but still counts, and reads, as 140.
  trap: {
    intro: { 'closed-hat': 'X.o.X.o.X.o.X.o.' },
    A: { kick: 'X...x.....X.x...', clap: '........X.......', rim: '....o.......o...', 'closed-hat': 'X.o.X.o.X.o.X.o.' },
    B: { kick: 'X...x..x..X.x..x', clap: '........X.......', rim: '....o.......o...', 'closed-hat': 'X.o.X.o.X.ooX.oo', 'open-hat': '..............x.' },
    fill: { kick: 'X...x.....X.x...', clap: '........X.....xx', rim: '....o.......o...', 'closed-hat': 'X.o.X.o.oooooooo' },
    crash: false,
  },
  'four-on-floor': {
    intro: { kick: 'X...X...X...X...', 'closed-hat': 'oo.ooo.ooo.ooo.o' },
    A: { kick: 'X...X...X...X...', clap: '....X.......X...', 'closed-hat': 'oo.ooo.ooo.ooo.o', 'open-hat': '..x...x...x...x.' },
    B: { kick: 'X...X...X...X...', clap: '....X.......X..o', 'closed-hat': 'oo.ooo.ooo.ooo.o', 'open-hat': '..x...x...x...x.', rim: '...o.....o....o.' },
    fill: { kick: 'X...X...X...X...', clap: '....X.......XoXX', 'closed-hat': 'oo.ooo.ooo.ooo.o' },
    crash: true,
  },
  techno: {
    intro: { kick: 'X...X...X...X...', 'closed-hat': '..o...o...o...o.' },
    A: { kick: 'X...X...X...X...', clap: '....x.......x...', 'closed-hat': 'o.x.o.x.o.x.o.x.', rim: '...o..o....o..o.' },
    B: { kick: 'X...X...X...X...', clap: '....x.......x...', 'closed-hat': 'oxxooxxooxxooxxo', 'open-hat': '..x...x...x...x.' },
    fill: { kick: 'X...X...X...X...', clap: '....x.......xxxx', 'closed-hat': 'o.x.o.x.o.x.o.x.' },
    crash: false,
  },
  dnb: {
    intro: { 'closed-hat': 'x.x.x.x.x.x.x.x.', kick: 'X.........X.....' },
    A: { kick: 'X.........X.....', snare: '....X.......X...', 'closed-hat': 'x.o.x.o.x.o.x.o.' },
    B: { kick: 'X.........X..x..', snare: '....X..o....X...', 'closed-hat': 'x.o.x.o.x.o.x.o.', ride: 'X...x...X...x...' },
    fill: { kick: 'X.........X.....', snare: '....X.......XxXX', 'closed-hat': 'x.o.x.o.x.o.....' },
    crash: true,
  },
  rock: {
    intro: { kick: 'X.......X.......', 'closed-hat': 'x.x.x.x.x.x.x.x.' },
    A: { kick: 'X.......X..x....', snare: '....X.......X...', 'closed-hat': 'X.x.X.x.X.x.X.x.' },
    B: { kick: 'X..x....X..x....', snare: '....X.......X...', ride: 'X.x.X.x.X.x.X.x.' },
    fill: { kick: 'X.......X.......', snare: '....X...........', 'tom-high': '........XxXx....', 'tom-low': '............XxXx' },
    crash: true,
  },
  // A snare under the backbeat clap gives beats 2 and 4 the weight of the kick on 1 and 3.
  pop: {
    intro: { kick: 'X.......X.......', 'closed-hat': 'x.x.x.x.x.x.x.x.' },
    A: { kick: 'X......xX.......', clap: '....X.......X...', snare: '....x.......x...', 'closed-hat': 'x.x.x.x.x.x.x.x.' },
    B: { kick: 'X..x....X..x....', clap: '....X.......X...', snare: '....x.......x...', 'closed-hat': 'xox.xox.xox.xox.', 'open-hat': '..............x.' },
    fill: { kick: 'X......xX.......', snare: '........x.x.xxXX', clap: '....X...........' },
    crash: true,
  },
  funk: {
    intro: { 'closed-hat': 'XoxoXoxoXoxoXoxo', kick: 'X.........X.....' },
    A: { kick: 'X..x....X..x....', snare: '....X..o.o..X..o', 'closed-hat': 'XoxoXoxoXoxoXoxo' },
    B: { kick: 'X..x...xX..x....', snare: '....X..o.o..X..o', 'closed-hat': 'XoxoXoxoXoxoXo..', 'open-hat': '..............x.' },
    fill: { kick: 'X..x....X.......', snare: '....X..o.o..XxXx', 'closed-hat': 'XoxoXoxoXoxo....' },
    crash: true,
  },
  'one-drop': {
    intro: { 'closed-hat': '..x...x...x...x.' },
    A: { kick: '........X.......', rim: '........X.......', 'closed-hat': 'o.x.o.x.o.x.o.x.' },
    B: { kick: '........X.......', rim: '....o...X.......', 'closed-hat': 'oxx.oxx.oxx.oxx.' },
    fill: { kick: '........X.......', snare: '............XXxX', 'closed-hat': 'o.x.o.x.o.x.....' },
    crash: false,
  },
  ballad: {
    intro: { 'closed-hat': 'o.o.o.o.o.o.o.o.' },
    A: { kick: 'X......xX.......', snare: '....x.......x...', 'closed-hat': 'x.o.x.o.x.o.x.o.' },
    B: { kick: 'X..x....X.......', snare: '....X.......X...', 'closed-hat': 'x.o.x.o.x.o.x.o.' },
    fill: { kick: 'X.......X.......', snare: '....X...........', 'tom-high': '........x.x.....', 'tom-low': '............x.x.' },
    crash: true,
  },
  jazz: {
    intro: { ride: 'X...x.x.X...x.x.', 'closed-hat': '....x.......x...' },
    A: { ride: 'X...x.x.X...x.x.', 'closed-hat': '....x.......x...', kick: 'o...o...o...o...' },
    B: { ride: 'X...x.x.X...x.x.', 'closed-hat': '....x.......x...', kick: 'o...o...o...o...' },
    fill: { ride: 'X...x.x.X.......', 'closed-hat': '....x.......x...', snare: '..........o.x.X.' },
    crash: false,
  },
  chip: {
    intro: { 'closed-hat': 'x.x.x.x.x.x.x.x.' },
    A: { kick: 'X.......X.......', snare: '....X.......X...', 'closed-hat': 'x.x.x.x.x.x.x.x.' },
    B: { kick: 'X......xX.......', snare: '....X.......X...', 'closed-hat': 'xxx.xxx.xxx.xxx.' },
    fill: { kick: 'X.......X.......', snare: '....X.......XXXX' },
    crash: false,
  },
  cinematic: {
    intro: { 'tom-low': 'X.......X.......' },
    A: { 'tom-low': 'X......xX.......', 'tom-high': '....x.......x...', kick: 'X.......X.......' },
    B: { 'tom-low': 'X..x...xX..x....', 'tom-high': '....X.......X.xx', kick: 'X.......X.......', snare: '....x.......x...' },
    fill: { 'tom-low': 'X.......X.......', snare: 'ooooooooxxxxXXXX' },
    crash: true,
  },
  ambient: {
    intro: {},
    A: { kick: 'X.......x.......', rim: '....o.......o...', 'closed-hat': '..o...o...o...o.' },
    B: { kick: 'X.......x.x.....', rim: '....o.......o...', 'closed-hat': '..o...o...o...o.' },
    fill: { kick: 'X.......x.......', rim: '....o.......o.o.' },
    crash: false,
  },
};

/** Three-beat grooves (12 steps) for waltz time. */
const WALTZ: Groove = {
  intro: { kick: 'X...........', 'closed-hat': 'x...x...x...' },
  A: { kick: 'X...........', snare: '....x...x...', 'closed-hat': 'x.o.x.o.x.o.' },
  B: { kick: 'X.......o...', snare: '....x...x...', 'closed-hat': 'x.o.x.o.x.oo' },
  fill: { kick: 'X...........', snare: '....x...xxXx' },
  crash: true,
};
const JAZZ_WALTZ: Groove = {
  intro: { ride: 'X...x.x.x...', 'closed-hat': '....x...x...' },
  A: { ride: 'X...x.x.x...', 'closed-hat': '....x...x...', kick: 'o...........' },
  B: { ride: 'X...x.x.x.x.', 'closed-hat': '....x...x...', kick: 'o...........' },
  fill: { ride: 'X...x.......', snare: '......o.x.X.' },
  crash: false,
};

const ACCENT: Record<string, number> = { X: 1, x: 0.78, o: 0.42 };
const INTENSITY_GAIN: Record<DrumIntensity, number> = { none: 0, light: 0.7, normal: 0.88, heavy: 1 };

export function grooveFor(groove: GrooveId, beatsPerBar: 3 | 4): Groove {
  if (beatsPerBar === 3) return groove === 'jazz' ? JAZZ_WALTZ : WALTZ;
  return GROOVES[groove];
}

/** One track per drum piece, built bar by bar from the groove and the form. */
export function composeDrums(plan: MusicPlan, groove: Groove, kit: DrumKit, form: Form, timeline: Timeline, rng: Rng): Track[] {
  const notes = new Map<DrumPiece, Note[]>();
  const hit = (piece: DrumPiece, time: number, velocity: number) => {
    const list = notes.get(piece) ?? [];
    list.push({ start: Math.max(0, time), duration: 0.1, midi: 0, velocity: Math.max(0.05, Math.min(1, velocity)) });
    notes.set(piece, list);
  };
  const gain = INTENSITY_GAIN[plan.drums];
  const humanize = rng.fork('humanize');
  for (const bar of form.bars) {
    const pattern = patternFor(groove, bar, form);
    for (const [piece, steps] of Object.entries(pattern) as [DrumPiece, string][]) {
      for (let step = 0; step < Math.min(steps.length, timeline.stepsPerBar); step++) {
        const accent = ACCENT[steps[step]];
        if (!accent) continue;
        // Kicks and snares stay tight on the grid; hats breathe a little.
        const jitter = piece === 'kick' || piece === 'snare' || piece === 'clap' ? 0.002 : 0.006;
        const velocity = accent * gain * (0.75 + 0.25 * bar.energy) * (1 + humanize.gaussian(0.05));
        hit(piece, timeline.time(bar.index, step) + humanize.gaussian(jitter), velocity);
      }
    }
    if (plan.genre === 'jazz' && bar.section !== 'intro') {
      // Comping on the snare: a couple of ghost notes on off-beats, different every bar.
      for (const step of [2, 6, 7, 10, 11, 14].filter((s) => s < timeline.stepsPerBar)) {
        if (humanize.chance(0.22)) hit('snare', timeline.time(bar.index, step), 0.35 * gain * (1 + humanize.gaussian(0.1)));
      }
    }
    if (groove.crash && bar.barInSection === 0 && (bar.section === 'main' || bar.section === 'variation' || bar.section === 'bridge')) {
      hit('crash', timeline.time(bar.index, 0), 0.75 * gain);
    }
  }
  // The ending: one kick (and a crash where the style has one) under the final chord.
  if (form.bars.length > 0 && !form.loop) {
    hit('kick', form.finalTime, 0.9 * gain);
    if (groove.crash) hit('crash', form.finalTime, 0.7 * gain);
  }
  return [...notes.entries()].map(([piece, list]) => ({
    id: `drums/${piece}`,
    source: { type: 'drum', piece, kit },
    notes: list.sort((a, b) => a.start - b.start),
  }));
}

/** Rests through a breakdown; a build starts from the intro's groove and fills into the return. */
function patternFor(groove: Groove, bar: BarPlan, form: Form): PatternBar {
  const barCount = form.bars.length;
  if (bar.section === 'breakdown') return {};
  if (bar.section === 'intro') return bar.isSectionEnd && barCount > 4 ? groove.A : groove.intro;
  // A loop's last bar fills too: it leads back into the first.
  if (bar.isSectionEnd && (bar.index < barCount - 1 || (form.loop && barCount >= 4))) return groove.fill;
  if (bar.section === 'build') return bar.barInSection < bar.sectionBars / 2 ? groove.intro : groove.A;
  if (bar.section === 'variation' || bar.section === 'bridge') return groove.B;
  return groove.A;
}
