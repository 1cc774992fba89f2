import { chordPitchClasses, parseNumeral, parseProgression, voiceChord } from './chords';
import { keyName, letterToPitchClass, midiToHz } from './pitch';
import { scaleNotes } from './scales';

describe('music theory', () => {
  it('reads Roman numerals against the tonic', () => {
    const [i, vi, iii, vii] = parseProgression('i bVI bIII bVII', 9); // A minor
    expect([i, vi, iii, vii].map((c) => chordPitchClasses(c))).toEqual([[9, 0, 4], [5, 9, 0], [0, 4, 7], [7, 11, 2]]);
    expect(chordPitchClasses(parseNumeral('V7', 0))).toEqual([7, 11, 2, 5]);
    expect(chordPitchClasses(parseNumeral('iiø7', 0))).toEqual([2, 5, 8, 0]);
    expect(() => parseNumeral('VIII', 0)).toThrow();
  });

  it('voice-leads: consecutive voicings move little and stay in range', () => {
    const chords = parseProgression('I V vi IV I', 0);
    let previous: number[] | undefined;
    for (const chord of chords) {
      const voicing = voiceChord(chord, 55, 72, 4, previous);
      expect(Math.min(...voicing)).toBeGreaterThanOrEqual(55);
      expect(Math.max(...voicing)).toBeLessThanOrEqual(72);
      if (previous) expect(voicing.reduce((s, n, k) => s + Math.abs(n - previous![Math.min(k, previous!.length - 1)]), 0)).toBeLessThanOrEqual(8);
      previous = voicing;
    }
  });

  it('names keys and pitches', () => {
    expect(keyName(10, 'major')).toBe('Bb major');
    expect(keyName(6, 'minor')).toBe('F# minor');
    expect(letterToPitchClass('e', -1)).toBe(3);
    expect(midiToHz(69)).toBe(440);
    expect(scaleNotes(9, 'minor', 57, 69)).toEqual([57, 59, 60, 62, 64, 65, 67, 69]);
  });
});
