/**
 * Accompaniment figures: how the chord instrument, pad, bass and arpeggio play
 * each bar of the harmony. Figures are rhythm data (steps and lengths in
 * sixteenths); pitches come from voice-led chord voicings.
 */
import { Rng } from '../random';
import { atOrAbove, Chord, voiceChord } from '../theory/chords';
import { BarPlan, chordAt, Form } from './form';
import { beatAccents, BeatSupport, pulseNoteSeconds } from './pulse';
import { Note, Timeline } from './score';
import { BassStyle, CompStyle } from './styles';

export interface Register {
  low: number;
  high: number;
  voices: number;
}

/** A hit of a figure: step in the bar, length in steps, velocity factor. */
interface Hit {
  step: number;
  length: number;
  velocity: number;
}

const h = (step: number, length: number, velocity = 1): Hit => ({ step, length, velocity });

/** Rhythm of one bar of comping, per style; A for main sections, B for variations. */
const COMP_RHYTHMS: Record<Exclude<CompStyle, 'broken' | 'alberti' | 'chip-arp' | 'strum' | 'pulse'>, { A: Hit[]; B: Hit[] }> = {
  sustain: { A: [h(0, 16)], B: [h(0, 16)] },
  // Oom-pah-pah: the bass has the 1, the chord the 2 and the 3.
  waltz: { A: [h(4, 2.5), h(8, 2.5, 0.95)], B: [h(4, 2.5), h(8, 2.5, 0.95)] },
  lofi: { A: [h(0, 7), h(7, 9, 0.8)], B: [h(0, 10), h(10, 6, 0.75)] },
  stabs: { A: [h(2, 2), h(6, 1.5, 0.8), h(8, 2), h(11, 2, 0.85), h(14, 2, 0.8)], B: [h(0, 2), h(3, 2, 0.85), h(6, 2), h(10, 2, 0.85), h(12, 3)] },
  skank: { A: [h(2, 1.2), h(6, 1.2), h(10, 1.2), h(14, 1.2)], B: [h(2, 1.2), h(6, 1.2), h(10, 1.2), h(13, 0.8, 0.6), h(14, 1.2)] },
  power: { A: [0, 2, 4, 6, 8, 10, 12, 14].map((s) => h(s, 1.6, s % 4 === 0 ? 1 : 0.75)), B: [h(0, 6), h(6, 2, 0.8), h(8, 8)] },
  jazz: { A: [h(0, 3), h(6, 3, 0.85)], B: [h(3, 2, 0.85), h(10, 5)] },
  chops: { A: [h(2, 0.5), h(3, 0.5, 0.7), h(6, 1), h(10, 0.5), h(11, 0.5, 0.7), h(14, 1)], B: [h(0, 0.5), h(2, 0.5, 0.7), h(4, 1), h(7, 0.5, 0.8), h(10, 1), h(13, 0.5, 0.7), h(14, 0.5)] },
};

/** Guitar strum: down on the beat (low → high), up on the off-beat (high → low, lighter). */
const STRUM_PATTERN: { step: number; down: boolean }[] = [
  { step: 0, down: true }, { step: 4, down: true }, { step: 6, down: false },
  { step: 10, down: false }, { step: 12, down: true }, { step: 14, down: false },
];

export interface PartContext {
  form: Form;
  timeline: Timeline;
  rng: Rng;
  /** base loudness of the part, 0..1 */
  level: number;
  /** 0..1 */
  density: number;
  /** the bars the part plays in (all when absent); the final chord is added separately */
  playsIn?: (bar: BarPlan) => boolean;
  /** how much of the beat the drums mark: the less, the more the part marks it */
  beat: BeatSupport;
}

function plays(ctx: PartContext, bar: BarPlan): boolean {
  return !ctx.playsIn || ctx.playsIn(bar);
}

function clipToBar(hits: Hit[], stepsPerBar: number): Hit[] {
  return hits.filter((x) => x.step < stepsPerBar).map((x) => ({ ...x, length: Math.min(x.length, stepsPerBar - x.step) }));
}

/** Adds `midi` notes of one hit, optionally strummed (spread in time) upwards or downwards. */
function pushChord(out: Note[], notes: readonly number[], start: number, duration: number, velocity: number, spread: number, rng: Rng, up = true): void {
  const order = up ? notes : [...notes].reverse();
  order.forEach((midi, i) => {
    out.push({ start: start + i * spread + Math.abs(rng.gaussian(0.003)), duration: Math.max(0.05, duration - i * spread), midi, velocity: clampVelocity(velocity * (1 + rng.gaussian(0.04))) });
  });
}

function clampVelocity(v: number): number {
  return v < 0.05 ? 0.05 : v > 1 ? 1 : v;
}

/** The chord instrument's part. */
export function composeComp(style: CompStyle, register: Register, ctx: PartContext): Note[] {
  const { form, timeline, rng } = ctx;
  const out: Note[] = [];
  let previous: number[] | undefined;
  const stepsPerBar = timeline.stepsPerBar;
  for (const bar of form.bars) {
    if (!plays(ctx, bar)) continue;
    const velocityBase = ctx.level * (0.7 + 0.3 * bar.energy);
    // The livelier figure in the B theme and the bridge, and in every other return of the A theme.
    const variation = bar.section === 'variation' || bar.section === 'bridge' || (bar.section === 'main' && bar.round % 2 === 1);
    for (const [index, { step: chordStep, chord }] of bar.chords.entries()) {
      const chordEnd = bar.chords[index + 1]?.step ?? stepsPerBar;
      const voicing = voiceChord(style === 'jazz' ? rootless(chord) : style === 'power' ? powerChord(chord) : chord, register.low, register.high, register.voices, previous);
      previous = voicing;
      const inSpan = (hits: Hit[]) => clipToBar(hits, stepsPerBar).filter((x) => x.step >= chordStep && x.step < chordEnd).map((x) => ({ ...x, length: Math.min(x.length, chordEnd - x.step) }));
      if (style === 'broken' || style === 'alberti' || style === 'chip-arp') {
        brokenFigure(out, style, voicing, chord, bar, chordStep, chordEnd, velocityBase, ctx);
      } else if (style === 'strum') {
        for (const s of STRUM_PATTERN.filter((x) => x.step >= chordStep && x.step < chordEnd && x.step < stepsPerBar)) {
          const next = STRUM_PATTERN.find((x) => x.step > s.step)?.step ?? stepsPerBar;
          const notes = s.down ? voicing : voicing.slice(-3);
          pushChord(out, notes, timeline.time(bar.index, s.step), timeline.span(bar.index, s.step, Math.min(next, chordEnd)), velocityBase * (s.down ? 0.9 : 0.6), 0.012, rng, s.down);
        }
      } else if (style === 'pulse') {
        // The chord struck softly on every beat and let go well before the next (see pulseNoteSeconds).
        const accents = beatAccents(timeline.beatsPerBar);
        for (let beat = 0; beat < timeline.beatsPerBar; beat++) {
          const step = beat * 4;
          if (step < chordStep || step >= chordEnd) continue;
          pushChord(out, voicing, timeline.time(bar.index, step), pulseNoteSeconds(timeline.beatSeconds), velocityBase * accents[beat], 0.004, rng);
        }
      } else {
        const rhythm = COMP_RHYTHMS[style];
        const spread = style === 'lofi' ? 0.018 : style === 'jazz' ? 0.008 : 0.003;
        for (const x of inSpan(variation ? rhythm.B : rhythm.A)) {
          pushChord(out, voicing, timeline.time(bar.index, x.step), timeline.span(bar.index, x.step, x.step + x.length) * 0.95, velocityBase * x.velocity, spread, rng);
        }
      }
    }
  }
  return out;
}

/** Broken-chord figures: pop/ballad 8ths, Alberti bass, chiptune fast arpeggio. */
function brokenFigure(out: Note[], style: 'broken' | 'alberti' | 'chip-arp', voicing: number[], chord: Chord, bar: BarPlan, from: number, to: number, velocity: number, ctx: PartContext): void {
  const { timeline, rng } = ctx;
  const [low, mid, high] = [voicing[0], voicing[1] ?? voicing[0] + 7, voicing[voicing.length - 1]];
  if (style === 'chip-arp') {
    // Up and down over three chord tones: four notes, so the figure repeats every eighth, in step with the beat.
    const cycle = [low, mid, high, mid];
    for (let step = from, i = 0; step < to; step += 0.5, i++) {
      const midi = cycle[i % cycle.length];
      out.push({ start: timeline.time(bar.index, Math.floor(step)) + (step % 1) * timeline.stepSeconds, duration: timeline.stepSeconds * 0.45, midi, velocity: clampVelocity(velocity * 0.8) });
    }
    return;
  }
  // Left hand: the root an octave or two below, held — or, with no drums to keep
  // time, repeated on every beat (a drum bass) so the pulse is heard.
  const bassNote = atOrAbove(chord.root, 36);
  if (ctx.beat === 'none') {
    const accents = beatAccents(timeline.beatsPerBar);
    for (let step = Math.ceil(from / 4) * 4; step < to; step += 4) {
      out.push({ start: timeline.time(bar.index, step), duration: pulseNoteSeconds(timeline.beatSeconds), midi: bassNote, velocity: clampVelocity(velocity * accents[step / 4]) });
    }
  } else {
    out.push({ start: timeline.time(bar.index, from), duration: timeline.span(bar.index, from, to), midi: bassNote, velocity: clampVelocity(velocity * 0.85) });
  }
  const unit = style === 'alberti' && timeline.beatSeconds > 0.62 ? 1 : 2; // 16ths at slow tempi, else 8ths
  const figure = style === 'alberti' ? [low, high, mid, high] : [low, mid, high, mid];
  // The notes on the beat lead; without drums marking the beat they lead clearly.
  const offBeat = ctx.beat === 'drums' ? 0.8 : 0.7;
  for (let step = from, i = 0; step < to; step += unit, i++) {
    const accent = step % 4 === 0 ? 1 : offBeat;
    out.push({
      start: timeline.time(bar.index, step) + rng.gaussian(0.004),
      duration: timeline.stepSeconds * unit * 1.6,
      midi: figure[i % figure.length],
      velocity: clampVelocity(velocity * accent * 0.75 * (1 + rng.gaussian(0.05))),
    });
  }
}

/** Jazz voicing without the root (the bass has it): 3rd, 5th/13th, 7th, 9th. */
function rootless(chord: Chord): Chord {
  const upper = chord.intervals.filter((i) => i !== 0);
  return upper.length >= 3 ? { ...chord, intervals: upper.map((i) => i % 12).sort((a, b) => a - b) } : chord;
}

function powerChord(chord: Chord): Chord {
  return { ...chord, intervals: [0, 7, 12] };
}

/** Sustained chords, one note per chord tone held for the chord's whole span. */
export function composePad(register: Register, ctx: PartContext): Note[] {
  const { form, timeline, rng } = ctx;
  const out: Note[] = [];
  let previous: number[] | undefined;
  for (const bar of form.bars) {
    if (!plays(ctx, bar)) continue;
    for (const [index, { step, chord }] of bar.chords.entries()) {
      const end = bar.chords[index + 1]?.step ?? timeline.stepsPerBar;
      const voicing = voiceChord(chord, register.low, register.high, register.voices, previous);
      previous = voicing;
      // Overlap into the next chord a little: the pad's release makes it legato.
      pushChord(out, voicing, timeline.time(bar.index, step), timeline.span(bar.index, step, end) + 0.05, ctx.level * (0.75 + 0.25 * bar.energy), 0, rng);
    }
  }
  return out;
}

/**
 * Bass figures. Below ~100 bpm an eighth note is in the range a listener (or the
 * tempo estimator) might take for the beat, so the slower styles keep their low
 * notes a sixteenth or a dotted eighth apart rather than an eighth.
 */
const BASS_FIGURES: Record<Exclude<BassStyle, 'walking' | '808' | 'pulse' | 'waltz'>, { step: number; length: number; tone: 'R' | '3' | '5' | '8' | '7'; velocity?: number }[]> = {
  long: [{ step: 0, length: 16, tone: 'R' }],
  boombap: [{ step: 0, length: 7, tone: 'R' }, { step: 7, length: 1, tone: 'R', velocity: 0.7 }, { step: 8, length: 3, tone: '5', velocity: 0.85 }, { step: 11, length: 5, tone: '8', velocity: 0.7 }],
  offbeat: [2, 6, 10, 14].map((step) => ({ step, length: 1.6, tone: step === 14 ? ('8' as const) : ('R' as const) })),
  driving: [0, 2, 4, 6, 8, 10, 12, 14].map((step) => ({ step, length: 1.7, tone: 'R' as const, velocity: step % 4 === 0 ? 1 : 0.8 })),
  // Syncopated sixteenths between the beats, but every beat struck and leading.
  funk: [
    { step: 0, length: 1.5, tone: 'R' }, { step: 3, length: 0.8, tone: '8', velocity: 0.55 }, { step: 4, length: 1.5, tone: 'R', velocity: 0.85 },
    { step: 7, length: 0.8, tone: 'R', velocity: 0.55 }, { step: 8, length: 1.5, tone: '5', velocity: 0.95 }, { step: 10, length: 1, tone: '7', velocity: 0.6 },
    { step: 12, length: 1.5, tone: 'R', velocity: 0.85 }, { step: 14, length: 1, tone: '8', velocity: 0.6 },
  ],
  sub: [{ step: 0, length: 10, tone: 'R' }, { step: 10, length: 6, tone: 'R', velocity: 0.85 }],
  reggae: [{ step: 0, length: 3, tone: 'R' }, { step: 3, length: 3, tone: '3', velocity: 0.8 }, { step: 8, length: 3, tone: '5' }, { step: 11, length: 4, tone: 'R', velocity: 0.7 }],
  octaves: [0, 2, 4, 6, 8, 10, 12, 14].map((step) => ({ step, length: 1.5, tone: step % 4 === 0 ? ('R' as const) : ('8' as const), velocity: step % 4 === 0 ? 1 : 0.7 })),
  // On every beat, with a lighter pickup into beats 2 and 4.
  pop: [
    { step: 0, length: 3, tone: 'R' }, { step: 4, length: 1.5, tone: 'R', velocity: 0.85 }, { step: 6, length: 1.5, tone: 'R', velocity: 0.6 },
    { step: 8, length: 3, tone: '5', velocity: 0.9 }, { step: 12, length: 1.5, tone: '8', velocity: 0.85 }, { step: 14, length: 1.5, tone: '5', velocity: 0.6 },
  ],
};

function chordTone(chord: Chord, tone: 'R' | '3' | '5' | '8' | '7', rootMidi: number): number {
  switch (tone) {
    case 'R':
      return rootMidi;
    case '8':
      return rootMidi + 12;
    case '3':
      return rootMidi + (chord.intervals[1] ?? 4);
    case '5':
      return rootMidi + (chord.intervals.includes(7) ? 7 : chord.intervals[2] ?? 7);
    case '7':
      return rootMidi + (chord.intervals.find((i) => i >= 10 && i <= 11) ?? 12);
  }
}

/**
 * The bass line. `kickSteps` are the steps of the groove's kick in main sections:
 * the 808 follows them, sliding between notes.
 */
export function composeBass(style: BassStyle, lowest: number, ctx: PartContext, kickSteps: readonly number[]): Note[] {
  const { form, timeline, rng } = ctx;
  const out: Note[] = [];
  const rootOf = (chord: Chord) => atOrAbove(chord.root, lowest);
  let lastMidi: number | undefined;
  form.bars.forEach((bar, barIndex) => {
    if (!plays(ctx, bar)) return;
    const velocity = ctx.level * (0.75 + 0.25 * bar.energy);
    const nextBar = form.bars[barIndex + 1];
    // A loop's last bar leads into its first.
    const nextRoot = rootOf(nextBar ? nextBar.chords[0].chord : (form.finalChord ?? form.bars[0].chords[0].chord));
    if (style === 'walking') {
      for (let beat = 0; beat < timeline.beatsPerBar; beat++) {
        const chord = chordAt(bar, beat * 4);
        const root = rootOf(chord);
        let midi = root;
        if (beat === timeline.beatsPerBar - 1) midi = nextRoot + (rng.chance(0.5) ? -1 : 1); // chromatic approach
        else if (beat > 0) midi = root + rng.pick(chord.intervals.filter((i) => i > 0 && i < 12).concat([12]));
        out.push({ start: timeline.time(bar.index, beat * 4), duration: timeline.beatSeconds * 0.9, midi, velocity: clampVelocity(velocity * (beat % 2 === 0 ? 1 : 0.85) * (1 + rng.gaussian(0.05))) });
      }
      return;
    }
    if (style === 'waltz') {
      const chord = chordAt(bar, 0);
      const midi = chordTone(chord, barIndex % 2 === 1 ? '5' : 'R', rootOf(chord));
      out.push({ start: timeline.time(bar.index, 0) + rng.gaussian(0.003), duration: pulseNoteSeconds(timeline.beatSeconds), midi, velocity: clampVelocity(velocity * 0.85 * (1 + rng.gaussian(0.04))) });
      return;
    }
    if (style === 'pulse') {
      const accents = beatAccents(timeline.beatsPerBar);
      for (let beat = 0; beat < timeline.beatsPerBar; beat++) {
        const chord = chordAt(bar, beat * 4);
        // Root on every beat; the fifth on beat 3 of a four-beat bar.
        const midi = chordTone(chord, timeline.beatsPerBar === 4 && beat === 2 ? '5' : 'R', rootOf(chord));
        out.push({ start: timeline.time(bar.index, beat * 4) + rng.gaussian(0.003), duration: pulseNoteSeconds(timeline.beatSeconds), midi, velocity: clampVelocity(velocity * accents[beat] * (1 + rng.gaussian(0.04))) });
      }
      return;
    }
    if (style === '808') {
      const steps = kickSteps.filter((s) => s < timeline.stepsPerBar);
      steps.forEach((step, i) => {
        const chord = chordAt(bar, step);
        const root = rootOf(chord);
        const midi = i > 0 && rng.chance(0.25) ? root + 12 : root;
        const end = steps[i + 1] ?? timeline.stepsPerBar;
        out.push({ start: timeline.time(bar.index, step), duration: timeline.span(bar.index, step, end) * 0.95, midi, velocity: clampVelocity(velocity), glideFrom: lastMidi !== undefined && lastMidi !== midi && rng.chance(0.5) ? lastMidi : undefined });
        lastMidi = midi;
      });
      return;
    }
    for (const hit of BASS_FIGURES[style]) {
      if (hit.step >= timeline.stepsPerBar) continue;
      const chord = chordAt(bar, hit.step);
      const length = Math.min(hit.length, timeline.stepsPerBar - hit.step);
      out.push({
        start: timeline.time(bar.index, hit.step) + rng.gaussian(0.003),
        duration: timeline.span(bar.index, hit.step, hit.step + length) * 0.92,
        midi: chordTone(chord, hit.tone, rootOf(chord)),
        velocity: clampVelocity(velocity * (hit.velocity ?? 1) * (1 + rng.gaussian(0.05))),
      });
    }
  });
  return out;
}

/** Arpeggio over the chord in 8ths or 16ths, rising over two octaves and back. */
export function composeArp(register: Register, ctx: PartContext): Note[] {
  const { form, timeline, rng } = ctx;
  const out: Note[] = [];
  const unit = timeline.beatSeconds < 0.5 ? 2 : ctx.density > 0.45 ? 1 : 2;
  for (const bar of form.bars) {
    if (!plays(ctx, bar)) continue;
    for (let step = 0, i = 0; step < timeline.stepsPerBar; step += unit, i++) {
      const chord = chordAt(bar, step);
      const tones = voiceChord(chord, register.low, register.low + 12, 3).concat(voiceChord(chord, register.low + 12, register.high, 3));
      const cycle = [...tones, ...tones.slice(1, -1).reverse()];
      const midi = cycle[i % cycle.length];
      out.push({
        start: timeline.time(bar.index, step) + rng.gaussian(0.004),
        duration: timeline.stepSeconds * unit * 1.8,
        midi,
        velocity: clampVelocity(ctx.level * (step % 4 === 0 ? 0.9 : 0.7) * (0.8 + 0.2 * bar.energy) * (1 + rng.gaussian(0.06))),
      });
    }
  }
  return out;
}

/** The final chord: struck once, held until the fade. */
export function finalChordNotes(chord: Chord, register: Register, start: number, duration: number, velocity: number): Note[] {
  return voiceChord(chord, register.low, register.high, register.voices).map((midi) => ({ start, duration, midi, velocity }));
}
