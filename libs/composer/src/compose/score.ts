/** The composed piece: timed notes per track, before any sound is made. */
import { Role } from '../instruments';
import { FormSection, InstrumentId } from '../plan';
import { DrumKit } from './styles';

export interface Note {
  /** seconds from the start of the piece */
  start: number;
  /** seconds the key is held (the voice may ring on after release) */
  duration: number;
  midi: number;
  /** 0..1 */
  velocity: number;
  /** 808 only: slide to this MIDI note over the note's first 60 ms */
  glideFrom?: number;
}

export type DrumPiece = 'kick' | 'snare' | 'clap' | 'rim' | 'closed-hat' | 'open-hat' | 'ride' | 'crash' | 'tom-low' | 'tom-high';

export type TrackSource =
  | { type: 'instrument'; instrument: InstrumentId; role: Role }
  | { type: 'drum'; piece: DrumPiece; kit: DrumKit };

export interface Track {
  /** unique within the score, e.g. "piano/chords" or "drums/kick" */
  id: string;
  source: TrackSource;
  notes: Note[];
}

export interface Score {
  durationSeconds: number;
  tempoBpm: number;
  tracks: Track[];
  /** the master fade runs from here to the end, reaching silence exactly at the last frame (a loop has none) */
  fadeStartSeconds: number;
  /** a seamless loop: no fades; what rings past the end belongs at the start */
  loop?: boolean;
  /** the form, section by section */
  sections?: FormSection[];
}

/**
 * Musical time → seconds. Steps are sixteenth notes counted from the start of the
 * piece; off-beat subdivisions are delayed by the swing amount.
 */
export class Timeline {
  readonly beatSeconds: number;
  readonly stepSeconds: number;
  readonly stepsPerBar: number;
  readonly barSeconds: number;

  constructor(
    tempoBpm: number,
    readonly beatsPerBar: number,
    private readonly swing: number,
    private readonly swingUnit: 8 | 16,
  ) {
    this.beatSeconds = 60 / tempoBpm;
    this.stepSeconds = this.beatSeconds / 4;
    this.stepsPerBar = beatsPerBar * 4;
    this.barSeconds = this.beatSeconds * beatsPerBar;
  }

  /** Start time of (possibly fractional) step `step` of bar `bar`. */
  time(bar: number, step: number): number {
    const whole = Math.floor(step);
    let delay = 0;
    if (this.swingUnit === 16 && whole % 2 === 1) delay = this.swing * this.stepSeconds;
    else if (this.swingUnit === 8 && whole % 4 === 2) delay = this.swing * 2 * this.stepSeconds;
    return bar * this.barSeconds + step * this.stepSeconds + delay;
  }

  /** Seconds from step `from` to step `to` of the same bar, swing included. */
  span(bar: number, from: number, to: number): number {
    return this.time(bar, to) - this.time(bar, from);
  }
}
