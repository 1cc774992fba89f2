/**
 * Readies, before a render, what its sampled parts need: the SoundFont samples
 * they play (SF3 samples are Ogg Vorbis, decoded on first use and kept), each
 * part's reference level and each drum sound (rendered once per process and kept).
 * The first render of a piano decodes and renders for about a second, which —
 * done here, one item at a time between `step`s — neither blocks the event loop
 * nor delays a cancellation; later renders find everything ready.
 */
import type { BasicPreset, BasicSample } from 'spessasynth_core';
import { Score } from '../compose/score';
import { GenreStyle } from '../compose/styles';
import { MusicPlan } from '../plan';
import { SoundFont } from './bank';
import { drumHit, medianPitch, sampledNoteLevel } from './band';
import { drumKey, drumKitProgram, melodicProgram } from './programs';

export async function prepareSampledParts(soundFont: SoundFont, score: Score, plan: MusicPlan, style: GenreStyle, sampleRate: number, step: () => Promise<void>): Promise<void> {
  const samples = new Set<BasicSample>();
  const later: (() => void)[] = [];
  for (const track of score.tracks) {
    const source = track.source;
    if (source.type === 'drum') {
      const kit = drumKitProgram(source.kit);
      const preset = kit === null ? undefined : soundFont.drumKit(kit);
      if (preset && kit !== null) {
        const key = drumKey(source.piece, source.kit);
        addSamples(preset, new Set([key]), samples);
        later.push(() => drumHit(soundFont, kit, key, sampleRate));
      }
    } else {
      const program = melodicProgram(source, plan, style);
      const preset = program === null ? undefined : soundFont.melodic(program);
      if (preset && program !== null && track.notes.length > 0) {
        addSamples(preset, new Set(track.notes.map((note) => note.midi)), samples);
        later.push(() => sampledNoteLevel(soundFont, program, medianPitch(track.notes), sampleRate));
      }
    }
  }
  for (const sample of samples) {
    sample.getAudioData();
    await step();
  }
  for (const task of later) {
    task();
    await step();
  }
}

const inRange = (range: { min: number; max: number }, key: number) => range.min < 0 || (key >= range.min && key <= range.max);

/** The samples of `preset` that any of `keys` can sound (every velocity layer). */
function addSamples(preset: BasicPreset, keys: Set<number>, into: Set<BasicSample>): void {
  for (const presetZone of preset.zones) {
    for (const zone of presetZone.instrument.zones) {
      for (const key of keys) {
        if (inRange(presetZone.keyRange, key) && inRange(zone.keyRange, key)) {
          into.add(zone.sample);
          break;
        }
      }
    }
  }
}
