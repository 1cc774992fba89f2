import { barsFromPeaks, seekStep, seekTarget } from './peaks';

describe('waveform bars from the server peaks', () => {
  it('takes the largest magnitude of each span and scales the loudest bar to 1', () => {
    // four [min, max] pairs -> two bars
    expect(barsFromPeaks([-0.1, 0.2, -0.4, 0.1, 0, 0.05, -0.2, 0.1], 2)).toEqual([1, 0.5]);
  });

  it('spreads few pairs over more bars', () => {
    expect(barsFromPeaks([-1, 1, -0.5, 0.5], 4)).toEqual([1, 1, 0.5, 0.5]);
  });

  it('draws silence (or no peaks yet) as flat bars', () => {
    expect(barsFromPeaks(null, 3)).toEqual([0, 0, 0]);
    expect(barsFromPeaks([0, 0, 0, 0], 2)).toEqual([0, 0]);
  });
});

describe('keyboard seeking', () => {
  it('steps 5 s, or a tenth of a short track', () => {
    expect(seekStep(60)).toBe(5);
    expect(seekStep(8)).toBeCloseTo(0.8);
    expect(seekStep(2)).toBe(0.5);
  });

  it('maps arrows, Page Up/Down, Home and End, clamped to the track', () => {
    expect(seekTarget('ArrowRight', 10, 60)).toBe(15);
    expect(seekTarget('ArrowLeft', 2, 60)).toBe(0);
    expect(seekTarget('ArrowUp', 58, 60)).toBe(60);
    expect(seekTarget('PageUp', 0, 60)).toBe(15);
    expect(seekTarget('Home', 33, 60)).toBe(0);
    expect(seekTarget('End', 3, 60)).toBe(60);
    expect(seekTarget('a', 3, 60)).toBeNull();
  });
});
