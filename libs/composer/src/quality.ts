/** What each quality level buys: more partials, more unison oscillators, a denser reverb, sampled instruments. */
export type Quality = 'draft' | 'standard' | 'high';

export interface QualitySettings {
  /** most partials an additive voice (piano, organ…) may use */
  partials: number;
  /** multiplier on a patch's unison oscillator count (rounded, at least 1) */
  unison: number;
  reverbLines: 4 | 8;
  reverbDiffusion: boolean;
  /** acoustic parts play samples from the SoundFont (see soundfont/); otherwise every part is synthesised */
  sampled: boolean;
  /**
   * how the SoundFont's samples are resampled to the note's pitch: hermite is the
   * cleaner, linear renders the sampled parts ~1.25× faster (a folk piece's
   * guitar and harp: 54× → 69× real time, CPU time, best of 3)
   */
  sampleInterpolation: 'linear' | 'hermite';
}

export const QUALITY: Record<Quality, QualitySettings> = {
  draft: { partials: 4, unison: 0.5, reverbLines: 4, reverbDiffusion: false, sampled: false, sampleInterpolation: 'linear' },
  standard: { partials: 7, unison: 1, reverbLines: 8, reverbDiffusion: true, sampled: true, sampleInterpolation: 'linear' },
  high: { partials: 12, unison: 1.5, reverbLines: 8, reverbDiffusion: true, sampled: true, sampleInterpolation: 'hermite' },
};
