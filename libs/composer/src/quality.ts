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
}

export const QUALITY: Record<Quality, QualitySettings> = {
  draft: { partials: 4, unison: 0.5, reverbLines: 4, reverbDiffusion: false, sampled: false },
  standard: { partials: 7, unison: 1, reverbLines: 8, reverbDiffusion: true, sampled: true },
  high: { partials: 12, unison: 1.5, reverbLines: 8, reverbDiffusion: true, sampled: true },
};
