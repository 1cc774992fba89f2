import { interpretPrompt } from '../prompt/interpret';
import { pitchClass } from '../theory/pitch';
import { scaleNotes } from '../theory/scales';
import { assignRoles, compose } from './compose';
import { sectionLayout } from './form';

describe('compose', () => {
  it('lays out intro, themes and outro, and middle sections with a build in long pieces', () => {
    const spans = (bars: number, loop = false) => sectionLayout(bars, { loop }).map((s) => `${s.section}:${s.bars}`);
    expect(spans(16)).toEqual(['intro:4', 'main:5', 'variation:5', 'outro:2']);
    expect(spans(30)).toEqual(['intro:4', 'main:4', 'variation:4', 'main:4', 'breakdown:2', 'build:2', 'variation:6', 'outro:4']);
    expect(spans(84)).toEqual([
      'intro:4', 'main:8', 'variation:8', 'main:8', 'breakdown:4', 'build:4', 'variation:8', 'main:8', 'variation:8', 'bridge:8', 'build:4', 'variation:8', 'outro:4',
    ]);
    expect(spans(2)).toEqual(['main:2']);
    expect(spans(0)).toEqual([]);
    // A loop has neither intro nor outro.
    expect(spans(8, true)).toEqual(['main:4', 'variation:4']);
    // Spans tile the bars.
    for (const bars of [1, 5, 13, 47, 84, 140]) {
      const layout = sectionLayout(bars);
      expect(layout.reduce((sum, s) => sum + s.bars, 0)).toBe(bars);
      layout.forEach((s, i) => expect(s.startBar).toBe(i === 0 ? 0 : layout[i - 1].startBar + layout[i - 1].bars));
    }
  });

  it('ends every note before the duration and starts the fade after the final chord', () => {
    for (const [prompt, duration] of [['lo-fi hip hop', 30], ['drum and bass', 12.5], ['ambient', 5], ['jazz waltz', 2]] as const) {
      const score = compose(interpretPrompt(prompt, 3), duration);
      for (const track of score.tracks) {
        for (const note of track.notes) {
          expect(note.start).toBeGreaterThanOrEqual(0);
          expect(note.start + note.duration).toBeLessThanOrEqual(duration);
        }
      }
      expect(score.fadeStartSeconds).toBeLessThan(duration);
    }
  });

  it('ends on the tonic', () => {
    const plan = interpretPrompt('pop in G major', 4);
    const score = compose(plan, 20);
    const bass = score.tracks.find((t) => t.source.type === 'instrument' && t.source.role === 'bass');
    const last = bass!.notes[bass!.notes.length - 1];
    expect(pitchClass(last.midi)).toBe(7);
  });

  it('keeps melodies in the key', () => {
    const plan = interpretPrompt('happy pop in D major', 2);
    const melody = compose(plan, 30).tracks.find((t) => t.source.type === 'instrument' && t.source.role === 'melody')!;
    const inKey = new Set(scaleNotes(2, 'major', 0, 127).map(pitchClass));
    expect(melody.notes.length).toBeGreaterThan(10);
    expect(melody.notes.every((n) => inKey.has(pitchClass(n.midi)))).toBe(true);
  });

  it('writes no drum tracks when the plan has no drums', () => {
    const score = compose(interpretPrompt('solo piano, no drums', 1), 15);
    expect(score.tracks.some((t) => t.source.type === 'drum')).toBe(false);
    expect(score.tracks.every((t) => t.source.type === 'instrument' && t.source.instrument === 'piano')).toBe(true);
  });

  it('gives every role an instrument, the melody to a solo instrument too', () => {
    expect(assignRoles(['piano'], 'alberti')).toEqual({ chords: ['piano'], melody: ['piano'] });
    expect(assignRoles(['electric-piano', 'bass', 'drums', 'vinyl'], 'lofi')).toEqual({ bass: ['bass'], chords: ['electric-piano'], melody: ['electric-piano'] });
    expect(assignRoles(['bells', 'pad', '808', 'drums'], 'sustain')).toEqual({ bass: ['808'], pad: ['pad'], melody: ['bells'] });
  });

  it('writes trap in half time at its full tempo: one clap a bar, on beat 3, and a kick on beat 1', () => {
    const plan = interpretPrompt('trap', 2);
    expect(plan.tempoBpm).toBeGreaterThanOrEqual(130);
    expect(plan.tempoBpm).toBeLessThanOrEqual(150);
    const score = compose(plan, 30);
    const beat = 60 / plan.tempoBpm;
    const bar = 4 * beat;
    const piece = (name: string) => score.tracks.find((t) => t.id === `drums/${name}`)!.notes;
    // The bars that have a hit within 20 ms of the given beat (0-based).
    const barsWith = (notes: { start: number }[], beatInBar: number) => {
      const bars = new Set<number>();
      for (const n of notes) {
        const b = Math.round((n.start - beatInBar * beat) / bar);
        if (Math.abs(n.start - (b * bar + beatInBar * beat)) < 0.02) bars.add(b);
      }
      return bars;
    };
    const claps = piece('clap');
    const clapBars = new Set(claps.map((n) => Math.floor((n.start + 0.02) / bar)));
    // Every bar with a clap has it on beat 3 (fills add a few more at the end of their bar) …
    for (const b of clapBars) expect(barsWith(claps, 2).has(b)).toBe(true);
    // … and none on the backbeats 2 and 4 of a plain groove.
    expect(barsWith(claps, 1).size + barsWith(claps, 3).size).toBe(0);
    for (const b of clapBars) expect(barsWith(piece('kick'), 0).has(b)).toBe(true);
  });

  describe('marks the beat where the drums do not', () => {
    const partOf = (score: ReturnType<typeof compose>, id: string) => score.tracks.find((t) => t.id === id)!.notes;

    it.each([
      ['solo piano, no drums, 72 bpm', 'piano/chords', 4, 'left hand'],
      ['classical piano in 3/4, 88 bpm', 'piano/chords', 3, 'left hand'],
      ['dreamy ambient pads, 66 bpm', 'piano/chords', 4, 'all'],
      ['dreamy ambient pads, 66 bpm', 'piano/bass', 4, 'all'],
      ['calm piano piece with light drums, 90 bpm', 'bass/bass', 4, 'all'],
    ] as const)('"%s": %s strikes every beat, each pulse let go by half a beat', (prompt, id, beatsPerBar, pulse) => {
      const plan = interpretPrompt(prompt, 1);
      expect(plan.beatsPerBar).toBe(beatsPerBar);
      const beat = 60 / plan.tempoBpm;
      const bar = beat * beatsPerBar;
      const finalTime = Math.floor((30 - 3.6) / bar) * bar;
      const notes = partOf(compose(plan, 30), id).filter((n) => n.start < finalTime - 0.05 && (pulse === 'all' || n.midi < 55));
      // From the bar the part comes in (a bass may rest through the intro) to the final chord.
      const firstBeat = Math.round(notes[0].start / bar) * beatsPerBar;
      const unstruck: number[] = [];
      for (let b = firstBeat; b * beat < finalTime - 0.05; b++) if (!notes.some((n) => Math.abs(n.start - b * beat) < 0.02)) unstruck.push(b);
      expect(unstruck).toEqual([]);
      for (const note of notes) expect(note.duration).toBeLessThanOrEqual(0.5 * beat + 1e-9);
    });

    it('plays oom-pah-pah in 3/4 where the style\'s figures are written for four beats: bass on 1, chords on 2 and 3', () => {
      const plan = interpretPrompt('lo-fi waltz, 84 bpm', 11);
      expect([plan.genre, plan.beatsPerBar]).toEqual(['lofi', 3]);
      const score = compose(plan, 30);
      const beat = 60 / plan.tempoBpm;
      const beatOf = (start: number) => Math.round(start / beat) % 3;
      const before = (notes: { start: number }[]) => notes.filter((n) => n.start < Math.floor((30 - 3.6) / (3 * beat)) * 3 * beat - 0.05);
      expect(new Set(before(partOf(score, 'bass/bass')).map((n) => beatOf(n.start)))).toEqual(new Set([0]));
      expect(new Set(before(partOf(score, 'electric-piano/chords')).map((n) => beatOf(n.start)))).toEqual(new Set([1, 2]));
    });

    it('leaves the bass held under drums that mark every beat', () => {
      const plan = interpretPrompt('ballad with heavy drums, 70 bpm', 1);
      const bass = partOf(compose(plan, 30), 'bass/bass');
      const bar = (60 / plan.tempoBpm) * 4;
      expect(bass.filter((n) => n.duration > 0.8 * bar).length).toBeGreaterThan(2);
    });
  });

  it('depends only on plan and duration', () => {
    const plan = interpretPrompt('funk', 11);
    expect(compose(plan, 10)).toEqual(compose(plan, 10));
  });
});
