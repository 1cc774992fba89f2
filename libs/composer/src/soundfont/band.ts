/**
 * The sampled parts of a piece: one SoundFont synthesizer per render, one MIDI
 * channel per part, each channel rendered into its own stereo block buffer so the
 * mixer treats it like any other track (level, pan, sends, bus). Notes start and
 * stop at their exact frame: a block is rendered in pieces between events.
 *
 * The synthesizer's own reverb and chorus are off: the sampled parts share the
 * mixer's reverb with the synthesised ones, so the piece sits in one room (and
 * the render stays deterministic and cheaper).
 */
import { InterpolationTypes, type SpessaSynthProcessor } from 'spessasynth_core';
import { Note, Score, TrackSource } from '../compose/score';
import { GenreStyle } from '../compose/styles';
import { MusicPlan } from '../plan';
import { TrackPatch } from '../synth/patches';
import { velocityToAmplitude } from '../synth/voice';
import { SampleVoice } from '../synth/voices/drums';
import { SoundFont } from './bank';
import { newProcessor, useSampleRate } from './processor';
import { drumKey, drumKitProgram, melodicProgram } from './programs';

/** GM's percussion channel: never given to a melodic part. */
const PERCUSSION_CHANNEL = 9;
/** Channels a processor starts with. */
const INITIAL_CHANNELS = 16;
/**
 * Most voices sounding at once over all sampled parts; past it the synthesizer
 * steals the least audible (released, quietest) ones. Harp and guitar arpeggios
 * ring for seconds after each release: uncapped, a folk piece with both keeps
 * ~65 voices busy (107 at most); 48 takes its sampled parts from 25× to 54× real
 * time (CPU time, best of 3) while a chord part and a melody keep every note they hold.
 */
const MAX_VOICES = 48;

/** Block buffers a sampled part renders into (index 0 = the block's first frame). */
export interface SampledOutput {
  readonly left: Float32Array;
  readonly right: Float32Array;
}

interface NoteEvent {
  frame: number;
  channel: number;
  midi: number;
  /** MIDI velocity 1..127; 0 releases the key */
  velocity: number;
}

/** Score velocity (0..1) → MIDI velocity (1..127). */
export function midiVelocity(velocity: number): number {
  return 1 + Math.round(Math.min(1, Math.max(0, velocity)) * 126);
}

export class SampledBand {
  private readonly synth: SpessaSynthProcessor;
  private readonly parts = new Map<number, SampledOutput & { program: number }>();
  private readonly drums = new Map<number, { kit: number; key: number }>();
  private readonly outputs: Float32Array[][] = [];
  private readonly effectsLeft: Float32Array;
  private readonly effectsRight: Float32Array;
  private readonly events: NoteEvent[] = [];
  private next = 0;

  constructor(
    score: Score,
    plan: MusicPlan,
    style: GenreStyle,
    private readonly soundFont: SoundFont,
    private readonly sampleRate: number,
    blockFrames: number,
    interpolation: 'linear' | 'hermite',
  ) {
    this.synth = newProcessor(sampleRate, soundFont, blockFrames);
    this.synth.setSystemParameter('voiceCap', MAX_VOICES);
    this.synth.setSystemParameter('interpolationType', InterpolationTypes[interpolation]);
    const silent = [new Float32Array(blockFrames), new Float32Array(blockFrames)];
    this.effectsLeft = new Float32Array(blockFrames);
    this.effectsRight = new Float32Array(blockFrames);
    let channel = 0;
    score.tracks.forEach((track, index) => {
      const source = track.source;
      if (source.type === 'drum') {
        const kit = drumKitProgram(source.kit);
        if (kit !== null && soundFont.drumKit(kit)) this.drums.set(index, { kit, key: drumKey(source.piece, source.kit) });
        return;
      }
      const program = melodicProgram(source, plan, style);
      if (program === null || !soundFont.melodic(program) || track.notes.length === 0) return;
      if (channel === PERCUSSION_CHANNEL) channel++;
      while (this.synth.midiChannels.length <= channel) this.synth.createMIDIChannel();
      this.synth.programChange(channel, program);
      const part = { left: new Float32Array(blockFrames), right: new Float32Array(blockFrames), program };
      this.parts.set(index, part);
      while (this.outputs.length < channel) this.outputs.push(silent);
      this.outputs[channel] = [part.left, part.right];
      this.events.push(...noteEvents(track.notes, channel, sampleRate));
      channel++;
    });
    // processSplit sends channel c to outputs[c % outputs.length]: one entry per channel.
    while (this.outputs.length < Math.max(INITIAL_CHANNELS, this.synth.midiChannels.length)) this.outputs.push(silent);
    // At one frame, key releases come before key presses (a repeated note restarts).
    this.events.sort((a, b) => a.frame - b.frame || a.velocity - b.velocity || a.channel - b.channel);
  }

  /** Whether the SoundFont plays track `index` of the score. */
  plays(index: number): boolean {
    return this.parts.has(index) || this.drums.has(index);
  }

  /** The block buffers of a sampled melodic part, or null (drum or synthesised track). */
  output(index: number): SampledOutput | null {
    return this.parts.get(index) ?? null;
  }

  /**
   * The track's patch with the sampled sound in place of the synthesised one, at
   * the synthesised sound's level (so the mix balance the patches set holds for any bank).
   */
  adapt(index: number, source: TrackSource, notes: readonly Note[], patch: TrackPatch): TrackPatch {
    const drum = this.drums.get(index);
    if (drum) {
      const hit = drumHit(this.soundFont, drum.kit, drum.key, this.sampleRate);
      const synthHit = patch.hitSample?.(0);
      const gain = synthHit ? levelRatio(synthHit, hit, Math.round(0.25 * this.sampleRate)) : 1;
      return { ...patch, gain: patch.gain * gain, hitSample: () => hit, createVoice: (_note, timing) => new SampleVoice(hit, timing) };
    }
    const part = this.parts.get(index);
    if (!part || source.type !== 'instrument') return patch;
    const midi = medianPitch(notes);
    const synthLevel = synthesisedLevel(patch, midi, this.sampleRate);
    const sampledLevel = sampledNoteLevel(this.soundFont, part.program, midi, this.sampleRate);
    const gain = sampledLevel > 0 && synthLevel > 0 ? synthLevel / sampledLevel : 1;
    // A sampled part is stereo, at the full rate, without the synthesised guitar's insert drive.
    return { ...patch, gain: patch.gain * gain, stereo: true, halfRate: false, drive: 0 };
  }

  /** Renders every sampled melodic part for frames [blockStart, blockStart + n) into its buffers. */
  renderBlock(blockStart: number, n: number): void {
    if (this.parts.size === 0) return;
    for (const part of this.parts.values()) {
      part.left.fill(0, 0, n);
      part.right.fill(0, 0, n);
    }
    const { events, synth } = this;
    useSampleRate(this.sampleRate);
    const end = blockStart + n;
    let at = blockStart;
    while (this.next < events.length && events[this.next].frame < end) {
      const frame = events[this.next].frame;
      if (frame > at) {
        synth.processSplit(this.outputs, this.effectsLeft, this.effectsRight, at - blockStart, frame - at);
        at = frame;
      }
      while (this.next < events.length && events[this.next].frame === frame) {
        const event = events[this.next++];
        if (event.velocity === 0) synth.noteOff(event.channel, event.midi);
        else synth.noteOn(event.channel, event.midi, event.velocity);
      }
    }
    if (end > at) synth.processSplit(this.outputs, this.effectsLeft, this.effectsRight, at - blockStart, end - at);
  }
}

/**
 * A part's key presses and releases in frames. A key struck again while it still
 * sounds is released first, so the earlier note's release cannot cut the new one.
 */
function noteEvents(notes: readonly Note[], channel: number, sampleRate: number): NoteEvent[] {
  const ordered = notes
    .map((note) => {
      const on = Math.round(note.start * sampleRate);
      return { on, off: on + Math.max(1, Math.round(note.duration * sampleRate)), midi: note.midi, velocity: midiVelocity(note.velocity) };
    })
    .sort((a, b) => a.on - b.on);
  const sounding = new Map<number, { off: number }>();
  for (const note of ordered) {
    const previous = sounding.get(note.midi);
    if (previous && previous.off > note.on) previous.off = note.on;
    sounding.set(note.midi, note);
  }
  const events: NoteEvent[] = [];
  for (const note of ordered) {
    events.push({ frame: note.on, channel, midi: note.midi, velocity: note.velocity });
    events.push({ frame: note.off, channel, midi: note.midi, velocity: 0 });
  }
  return events;
}

export function medianPitch(notes: readonly Note[]): number {
  const pitches = notes.map((note) => note.midi).sort((a, b) => a - b);
  return pitches.length ? pitches[pitches.length >> 1] : 60;
}

/** Reference note for level matching: this velocity, held this long. */
const REFERENCE_VELOCITY = 0.8;
const REFERENCE_SECONDS = 0.6;
const LEVEL_BLOCK = 1024;

/** RMS of the mid signal of one synthesised reference note of `patch`. */
function synthesisedLevel(patch: TrackPatch, midi: number, sampleRate: number): number {
  const rate = patch.halfRate ? sampleRate / 2 : sampleRate;
  const frames = Math.round(REFERENCE_SECONDS * rate);
  const note: Note = { start: 0, duration: REFERENCE_SECONDS, midi, velocity: REFERENCE_VELOCITY };
  const voice = patch.createVoice(note, { startFrame: 0, releaseFrame: frames, amplitude: velocityToAmplitude(REFERENCE_VELOCITY) }, 1);
  return midRms(frames, patch.stereo, (left, right, start, n) => voice.render(left, right, start, n));
}

/**
 * RMS over `frames` frames of the mid signal of a source rendered LEVEL_BLOCK frames at
 * a time by `render(left, right, start, n)` into zeroed buffers: (left + right) / 2, or
 * left alone for a mono source.
 */
function midRms(frames: number, stereo: boolean, render: (left: Float32Array, right: Float32Array, start: number, n: number) => void): number {
  const left = new Float32Array(LEVEL_BLOCK);
  const right = new Float32Array(LEVEL_BLOCK);
  let energy = 0;
  for (let start = 0; start < frames; start += LEVEL_BLOCK) {
    const n = Math.min(LEVEL_BLOCK, frames - start);
    left.fill(0);
    right.fill(0);
    render(left, right, start, n);
    for (let i = 0; i < n; i++) {
      const mid = stereo ? 0.5 * (left[i] + right[i]) : left[i];
      energy += mid * mid;
    }
  }
  return Math.sqrt(energy / frames);
}

const noteLevels = new WeakMap<SoundFont, Map<string, number>>();

/** RMS of the mid signal of one sampled reference note (cached per bank, program, key and rate). */
export function sampledNoteLevel(soundFont: SoundFont, program: number, midi: number, sampleRate: number): number {
  let levels = noteLevels.get(soundFont);
  if (!levels) noteLevels.set(soundFont, (levels = new Map<string, number>()));
  const key = `${program}:${midi}:${sampleRate}`;
  let level = levels.get(key);
  if (level === undefined) {
    const synth = newProcessor(sampleRate, soundFont, LEVEL_BLOCK);
    synth.programChange(0, program);
    synth.noteOn(0, midi, midiVelocity(REFERENCE_VELOCITY));
    level = midRms(Math.round(REFERENCE_SECONDS * sampleRate), true, (left, right, _start, n) => synth.process(left, right, 0, n));
    levels.set(key, level);
  }
  return level;
}

/** Longest drum hit kept (a crash's ring); the hit ends earlier once silent. */
const MAX_HIT_SECONDS = 3;
/** A hit is over once a block peaks below this (−90 dBFS). */
const HIT_SILENCE = 3e-5;

const drumHits = new WeakMap<SoundFont, Map<string, Float32Array>>();

/**
 * One drum sound of a kit, rendered once per bank, kit, key and rate (mono: the
 * mixer pans the drums) and replayed for every hit of the part, like the
 * synthesised kit's samples.
 */
export function drumHit(soundFont: SoundFont, kit: number, key: number, sampleRate: number): Float32Array {
  let hits = drumHits.get(soundFont);
  if (!hits) drumHits.set(soundFont, (hits = new Map<string, Float32Array>()));
  const id = `${kit}:${key}:${sampleRate}`;
  const cached = hits.get(id);
  if (cached) return cached;
  const synth = newProcessor(sampleRate, soundFont, LEVEL_BLOCK);
  synth.programChange(PERCUSSION_CHANNEL, kit);
  synth.noteOn(PERCUSSION_CHANNEL, key, 112);
  const maxFrames = Math.round(MAX_HIT_SECONDS * sampleRate);
  const hit = new Float32Array(maxFrames);
  const left = new Float32Array(LEVEL_BLOCK);
  const right = new Float32Array(LEVEL_BLOCK);
  let length = 0;
  for (let start = 0; start < maxFrames; start += LEVEL_BLOCK) {
    const n = Math.min(LEVEL_BLOCK, maxFrames - start);
    left.fill(0);
    right.fill(0);
    synth.process(left, right, 0, n);
    let peak = 0;
    for (let i = 0; i < n; i++) {
      const mono = 0.5 * (left[i] + right[i]);
      hit[start + i] = mono;
      peak = Math.max(peak, Math.abs(mono));
    }
    length = start + n;
    if (start > 0 && peak < HIT_SILENCE) break;
  }
  const sample = hit.slice(0, length);
  hits.set(id, sample);
  return sample;
}

/** Gain that brings `sampled` to the energy of `reference` over their first `frames` frames. */
function levelRatio(reference: Float32Array, sampled: Float32Array, frames: number): number {
  const energy = (x: Float32Array) => {
    let sum = 0;
    for (let i = 0; i < Math.min(frames, x.length); i++) sum += x[i] * x[i];
    return sum;
  };
  const sampledEnergy = energy(sampled);
  return sampledEnergy > 0 ? Math.sqrt(energy(reference) / sampledEnergy) : 1;
}
