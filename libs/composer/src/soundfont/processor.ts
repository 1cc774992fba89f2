/**
 * SoundFont synthesizers (spessasynth_core processors) that give the same output
 * for the same input whatever else the process renders.
 *
 * spessasynth_core keeps its low-pass filter's coefficients in one process-wide
 * cache keyed by cutoff and resonance but not by sample rate, and a filter
 * smoothing constant set by whichever processor was created last. A worker that
 * renders at 44.1 and 48 kHz, one job after another or interleaved, would filter
 * with the other rate's coefficients, and a render would depend on the ones before
 * it. Each sample rate gets its own cache and constant here, installed before a
 * processor is created and before every call that renders.
 */
import { SpessaSynthProcessor } from 'spessasynth_core';
import { SoundFont } from './bank';

/** The static state of spessasynth_core's LowpassFilter class (not exported by the package). */
interface FilterClass {
  cachedCoefficients: Map<number, unknown>;
  smoothingConstant: number;
  initCache(sampleRate: number): void;
}

let filterClass: FilterClass | undefined;
const rates = new Map<number, { cachedCoefficients: Map<number, unknown>; smoothingConstant: number }>();

/** Installs the filter state of `sampleRate`; call before anything that renders at that rate. */
export function useSampleRate(sampleRate: number): void {
  if (!filterClass) return;
  let state = rates.get(sampleRate);
  if (!state) {
    filterClass.cachedCoefficients = new Map();
    filterClass.initCache(sampleRate);
    state = { cachedCoefficients: filterClass.cachedCoefficients, smoothingConstant: filterClass.smoothingConstant };
    rates.set(sampleRate, state);
  }
  filterClass.cachedCoefficients = state.cachedCoefficients;
  filterClass.smoothingConstant = state.smoothingConstant;
}

/** A processor playing `soundFont`, effects off (the mixer has its own), at `sampleRate`. */
export function newProcessor(sampleRate: number, soundFont: SoundFont, maxBufferSize: number): SpessaSynthProcessor {
  useSampleRate(sampleRate);
  const synth = new SpessaSynthProcessor(sampleRate, { maxBufferSize, effectsEnabled: false, eventsEnabled: false });
  if (!filterClass) {
    const voices = (synth as unknown as { synthCore: { voices: { filter: { constructor: FilterClass } }[] } }).synthCore.voices;
    filterClass = voices[0].filter.constructor;
    useSampleRate(sampleRate);
  }
  synth.soundBankManager.addSoundBank(soundFont.bank, 'texttune');
  // Programs are only asked of the bank after checking it has them; nothing is missing.
  synth.onMissingPreset = () => undefined;
  return synth;
}
