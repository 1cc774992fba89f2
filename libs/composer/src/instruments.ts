/** What each instrument can do in an arrangement, and how it is named. */
import { InstrumentId } from './plan';

export type Role = 'chords' | 'pad' | 'bass' | 'melody' | 'arp' | 'drums' | 'texture';

export interface InstrumentInfo {
  label: string;
  /** the role it takes first; an explicit request replaces defaults of the same primary role */
  primary: Role;
  /** every role it can play, in order of preference */
  roles: readonly Role[];
}

export const INSTRUMENT_INFO: Record<InstrumentId, InstrumentInfo> = {
  piano: { label: 'piano', primary: 'chords', roles: ['chords', 'melody', 'arp', 'bass'] },
  'electric-piano': { label: 'electric piano', primary: 'chords', roles: ['chords', 'melody', 'arp'] },
  organ: { label: 'organ', primary: 'chords', roles: ['chords', 'pad'] },
  'acoustic-guitar': { label: 'acoustic guitar', primary: 'chords', roles: ['chords', 'arp', 'melody'] },
  'electric-guitar': { label: 'electric guitar', primary: 'chords', roles: ['chords', 'melody'] },
  harp: { label: 'harp', primary: 'arp', roles: ['arp', 'chords', 'melody'] },
  strings: { label: 'strings', primary: 'pad', roles: ['pad', 'melody', 'chords', 'bass'] },
  brass: { label: 'brass', primary: 'melody', roles: ['melody', 'chords', 'pad'] },
  // Woodwinds play one line at a time: a tune, a figure, or (the bassoon) the bass.
  flute: { label: 'flute', primary: 'melody', roles: ['melody', 'arp'] },
  clarinet: { label: 'clarinet', primary: 'melody', roles: ['melody', 'arp'] },
  oboe: { label: 'oboe', primary: 'melody', roles: ['melody', 'arp'] },
  saxophone: { label: 'saxophone', primary: 'melody', roles: ['melody', 'arp'] },
  bassoon: { label: 'bassoon', primary: 'melody', roles: ['melody', 'bass', 'arp'] },
  choir: { label: 'choir', primary: 'chords', roles: ['chords', 'pad', 'melody'] },
  pad: { label: 'synth pad', primary: 'pad', roles: ['pad', 'chords'] },
  lead: { label: 'synth lead', primary: 'melody', roles: ['melody', 'arp'] },
  bells: { label: 'bells', primary: 'arp', roles: ['arp', 'melody'] },
  chip: { label: 'chiptune pulse', primary: 'melody', roles: ['melody', 'arp', 'chords', 'bass'] },
  bass: { label: 'bass', primary: 'bass', roles: ['bass'] },
  'synth-bass': { label: 'synth bass', primary: 'bass', roles: ['bass'] },
  '808': { label: '808', primary: 'bass', roles: ['bass'] },
  drums: { label: 'drums', primary: 'drums', roles: ['drums'] },
  vinyl: { label: 'vinyl noise', primary: 'texture', roles: ['texture'] },
};
