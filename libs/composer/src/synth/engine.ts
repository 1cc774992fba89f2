/**
 * Score → stereo float mix, block by block. Each track starts voices as their
 * notes come due, renders them into a small block buffer, runs its insert and
 * mixes into the master bus (bass line, kick, low drums) or the music bus
 * (chords, pads, the reverb: high-passed at 90 Hz, so the region below the bass
 * line stays the bass's) and into the reverb/delay sends; the block is then
 * finished (effects, the music bus's high-pass, genre colouring, the fades)
 * and copied into the output. Working memory is a handful of block buffers, the
 * voices that are sounding and one rendered sample per drum sound, whatever the
 * duration.
 *
 * Two shortcuts keep this fast without changing what is heard:
 * - drum tracks replay one rendered hit per drum sound (a few noise variants),
 *   scaled and added straight into the buses;
 * - at 44.1/48 kHz, parts with nothing near the top octave (pads, chords, bass
 *   lines, low melodies) and the reverb and echo are computed at half the rate,
 *   mixed on a low-rate bus (which holds the music bus) and interpolated up once
 *   per block (see LowBus and dsp.ts); the full-rate parts there (melodies,
 *   arpeggios, cymbals, with nothing below 90 Hz) go straight to the master bus.
 */
import { Note, Score } from '../compose/score';
import { GenreStyle } from '../compose/styles';
import { MusicPlan } from '../plan';
import { QualitySettings } from '../quality';
import { SoundFont } from '../soundfont/bank';
import { SampledBand, SampledOutput } from '../soundfont/band';
import { HALF_BAND_C0, HALF_BAND_C1, HALF_BAND_C2, HALF_BAND_REACH, HALF_RATE_MIN_SAMPLE_RATE } from './dsp';
import { Drive, HALF_RATE_WET_LATENCY, Highpass, ToneLowpass, WetBus } from './effects';
import { TrackPatch, trackPatch } from './patches';
import { velocityToAmplitude, Voice } from './voice';

export const BLOCK_FRAMES = 1024;
const HALF_BLOCK = BLOCK_FRAMES / 2;
/** the music bus's high-pass: below it is the bass line's and the kick's */
const MUSIC_HIGHPASS_HZ = 90;
/**
 * the mix rises from silence over this long: notes and drum hits due at time 0
 * start mid-waveform (a noise hit at full level), a step a player turns into a click
 */
const FADE_IN_SECONDS = 0.003;

/** A drum hit being replayed: a rendered sample, where it starts and how loud. */
interface Hit {
  sample: Float32Array;
  startFrame: number;
  amplitude: number;
}

interface TrackState {
  patch: TrackPatch;
  notes: Score['tracks'][number]['notes'];
  next: number;
  voices: Voice[];
  hits: Hit[];
  gainLeft: number;
  gainRight: number;
  drive: Drive | null;
  seedBase: number;
  /** a part the SoundFont plays: its block buffers, and its high-pass when it bypasses the music bus's */
  sampled: SampledOutput | null;
  sampledHighpass: Highpass | null;
}

export interface SynthesisTarget {
  left: Float32Array;
  right: Float32Array;
  sampleRate: number;
  /**
   * Ids of the score's tracks to render (all when absent). The rest stay silent but
   * every other setting (patches, seeds, effects, fades) is the full piece's, so the
   * renders of disjoint sets of tracks sum to the full mix: the buses after the
   * tracks are linear.
   */
  only?: ReadonlySet<string>;
}

/**
 * Renders `score` into target.left/right (whose length is the frame count).
 * `afterBlock` runs after every block with the number of frames done; it is
 * where the caller yields, reports progress and checks for cancellation.
 */
export async function synthesize(
  score: Score,
  plan: MusicPlan,
  style: GenreStyle,
  quality: QualitySettings,
  target: SynthesisTarget,
  afterBlock: (framesDone: number) => Promise<void> | void,
  /** plays the acoustic parts (see soundfont/); without it every part is synthesised */
  soundFont?: SoundFont,
): Promise<void> {
  // The per-sample work lives in plain (synchronous) functions and methods, which
  // the JIT optimises as a whole; this async loop only paces the blocks.
  const mixer = new Mixer(score, plan, style, quality, target, soundFont);
  const frames = target.left.length;
  for (let blockStart = 0; blockStart < frames; blockStart += BLOCK_FRAMES) {
    await afterBlock(mixer.renderBlock(blockStart));
  }
}

/** The mixing desk: tracks, buses, effects; renders one block at a time. */
class Mixer {
  private readonly tracks: TrackState[];
  private readonly wet: WetBus;
  /** whether anything in the piece is sent to the echo */
  private readonly echo: boolean;
  /** the half-rate bus (44.1/48 kHz) */
  private readonly low: LowBus | null;
  private readonly musicHighpass: Highpass;
  private readonly tone: ToneLowpass | null;
  private readonly trackL = new Float32Array(BLOCK_FRAMES);
  private readonly trackR = new Float32Array(BLOCK_FRAMES);
  private readonly masterL = new Float32Array(BLOCK_FRAMES);
  private readonly masterR = new Float32Array(BLOCK_FRAMES);
  private readonly musicL = new Float32Array(BLOCK_FRAMES);
  private readonly musicR = new Float32Array(BLOCK_FRAMES);
  private readonly reverbSend = new Float32Array(BLOCK_FRAMES);
  private readonly delaySend = new Float32Array(BLOCK_FRAMES);
  private readonly fadeStartFrame: number;
  private readonly fadeFrames: number;
  private readonly fadeInFrames: number;
  private readonly band: SampledBand | null;

  constructor(score: Score, plan: MusicPlan, style: GenreStyle, quality: QualitySettings, private readonly target: SynthesisTarget, soundFont?: SoundFont) {
    const { sampleRate } = target;
    const frames = target.left.length;
    const bassless = !score.tracks.some((track) => track.source.type === 'instrument' && track.source.role === 'bass');
    const ctx = { plan, style, sampleRate, quality, bassless };
    const band = soundFont ? new SampledBand(score, plan, style, soundFont, sampleRate, BLOCK_FRAMES, quality.sampleInterpolation) : null;
    this.band = band;
    // Where the half-rate bus is on, full-rate parts above the bass skip the music bus and its high-pass.
    const musicBusBypassed = sampleRate >= HALF_RATE_MIN_SAMPLE_RATE;
    this.tracks = score.tracks.map((track, index) => {
      const highestMidi = track.notes.reduce((high, note) => Math.max(high, note.midi), 0);
      const synthesised = trackPatch(track.source, { ...ctx, highestMidi });
      const patch = band?.plays(index) ? band.adapt(index, track.source, track.notes, synthesised) : synthesised;
      const sampled = band?.output(index) ?? null;
      // Constant-power pan.
      const angle = ((patch.pan + 1) * Math.PI) / 4;
      return {
        patch,
        notes: track.notes.map(uniformNote),
        next: 0,
        voices: objectArray<Voice>(),
        hits: objectArray<Hit>(),
        gainLeft: patch.gain * Math.cos(angle) * Math.SQRT2,
        gainRight: patch.gain * Math.sin(angle) * Math.SQRT2,
        drive: patch.drive > 0 ? new Drive(sampleRate, patch.drive) : null,
        seedBase: Math.imul(plan.seed ^ 0x5bd1e995, index + 1) >>> 0,
        sampled,
        sampledHighpass: sampled && !patch.low && musicBusBypassed ? new Highpass(sampleRate, MUSIC_HIGHPASS_HZ) : null,
      };
    }).filter((_, index) => !target.only || target.only.has(score.tracks[index].id));
    this.wet = new WetBus(sampleRate, BLOCK_FRAMES, {
      reverbSeconds: style.reverb.seconds * (plan.moods.includes('dreamy') ? 1.4 : 1),
      reverbLines: quality.reverbLines,
      reverbDiffusion: quality.reverbDiffusion,
      brightness: plan.brightness,
      delaySeconds: (60 / plan.tempoBpm) * 0.75,
      delayFeedback: 0.38,
    });
    this.echo = this.tracks.some((track) => track.patch.delaySend > 0);
    this.low = this.wet.halfRate ? new LowBus(sampleRate / 2) : null;
    this.musicHighpass = new Highpass(sampleRate, MUSIC_HIGHPASS_HZ);
    this.tone = style.lofi ? new ToneLowpass(sampleRate, 5200) : null;
    // A loop has no fades: its start follows its own end (see loop.ts).
    this.fadeStartFrame = score.loop ? Number.MAX_SAFE_INTEGER : Math.min(frames - 1, Math.round(score.fadeStartSeconds * sampleRate));
    this.fadeFrames = Math.max(1, frames - 1 - this.fadeStartFrame);
    this.fadeInFrames = score.loop ? 0 : Math.max(1, Math.round(FADE_IN_SECONDS * sampleRate));
  }

  /** Renders frames [blockStart, blockStart + BLOCK_FRAMES) (or to the end); returns the block's end. */
  renderBlock(blockStart: number): number {
    const { left, right, sampleRate } = this.target;
    const n = Math.min(BLOCK_FRAMES, left.length - blockStart);
    const { trackL, trackR, masterL, masterR, musicL, musicR, reverbSend, delaySend, low } = this;
    masterL.fill(0, 0, n);
    masterR.fill(0, 0, n);
    reverbSend.fill(0, 0, n);
    if (this.echo) delaySend.fill(0, 0, n);
    // Where full-rate tracks above the bass go: the high-passed music bus, or — at
    // 44.1/48 kHz, where the parts with anything low in them (chords, pads, the
    // reverb) are on the half-rate bus and high-passed there — the master bus.
    const upperL = low ? masterL : musicL;
    const upperR = low ? masterR : musicR;
    if (!low) {
      musicL.fill(0, 0, n);
      musicR.fill(0, 0, n);
    }
    low?.begin(blockStart, n);
    this.band?.renderBlock(blockStart, n);
    for (const track of this.tracks) {
      const patch = track.patch;
      if (track.sampled) {
        track.sampledHighpass?.process(track.sampled.left, track.sampled.right, n);
        mixTrack(track, track.sampled.left, track.sampled.right, patch.low ? masterL : upperL, patch.low ? masterR : upperR, reverbSend, delaySend, 0, n);
      } else if (patch.hitSample) {
        startDueHits(track, blockStart + n, sampleRate);
        if (track.hits.length > 0) mixHits(track, patch.low ? masterL : upperL, patch.low ? masterR : upperR, reverbSend, blockStart, n);
      } else if (low && patch.halfRate) {
        low.renderTrack(track, sampleRate);
      } else if (renderVoices(track, trackL, trackR, blockStart, n, sampleRate, 1)) {
        track.drive?.process(trackL, n);
        mixTrack(track, trackL, trackR, patch.low ? masterL : upperL, patch.low ? masterR : upperR, reverbSend, delaySend, 0, n);
      }
    }
    if (low) {
      this.wet.processLow(reverbSend, this.echo ? delaySend : null, low.reverb, low.delay, 0, low.musicL, low.musicR, low.returnsAt, n);
      low.finish(masterL, masterR, n);
    } else {
      this.wet.process(reverbSend, this.echo ? delaySend : null, musicL, musicR, n);
      this.musicHighpass.process(musicL, musicR, n);
      addInto(masterL, musicL, n);
      addInto(masterR, musicR, n);
    }
    this.tone?.process(masterL, masterR, n);
    writeFaded(masterL, left, blockStart, n, this.fadeInFrames, this.fadeStartFrame, this.fadeFrames);
    writeFaded(masterR, right, blockStart, n, this.fadeInFrames, this.fadeStartFrame, this.fadeFrames);
    return blockStart + n;
  }
}

/**
 * The half-rate bus: parts synthesised at half the sample rate are mixed here
 * (a master and a music side, and the reverb and echo sends), the reverb and echo
 * return here, the music side gets its high-pass, and the sum is interpolated up
 * into the full-rate master bus once per block.
 *
 * It is rendered HALF_BAND_REACH low-rate frames ahead of the output (the
 * interpolator's look-ahead), so nothing is delayed: during the block starting at
 * full-rate frame b the buffers' index 0 is low-rate frame b/2 − REACH, and the
 * new frames [rendered, needed) are mixed at [writeAt, writeAt + count).
 */
class LowBus {
  readonly masterL = lowBuffer();
  readonly masterR = lowBuffer();
  readonly musicL = lowBuffer();
  readonly musicR = lowBuffer();
  readonly reverb = lowBuffer();
  readonly delay = lowBuffer();
  private readonly trackL = lowBuffer();
  private readonly trackR = lowBuffer();
  private readonly all = [this.masterL, this.masterR, this.musicL, this.musicR, this.reverb, this.delay];
  private readonly highpass: Highpass;
  /** where this block's reverb and echo returns go (see HALF_RATE_WET_LATENCY) */
  readonly returnsAt = HALF_RATE_WET_LATENCY;
  private rendered = 0;
  private base = 0;
  private needed = 0;
  private writeAt = 0;
  private count = 0;

  constructor(lowRate: number) {
    this.highpass = new Highpass(lowRate, MUSIC_HIGHPASS_HZ);
  }

  begin(blockStart: number, n: number): void {
    this.base = blockStart / 2 - HALF_BAND_REACH;
    this.needed = Math.ceil((blockStart + n) / 2) + HALF_BAND_REACH;
    this.writeAt = this.rendered - this.base;
    this.count = this.needed - this.rendered;
    for (const b of this.all) b.fill(0, this.writeAt, this.writeAt + this.count);
  }

  renderTrack(track: TrackState, sampleRate: number): void {
    const { trackL, trackR, writeAt, count } = this;
    if (!renderVoices(track, trackL, trackR, this.rendered, count, sampleRate, 2)) return;
    const dryL = track.patch.low ? this.masterL : this.musicL;
    const dryR = track.patch.low ? this.masterR : this.musicR;
    // The voices rendered into [0, count) of the track buffers; they mix in at writeAt.
    mixTrack(track, trackL, trackR, dryL, dryR, this.reverb, this.delay, writeAt, count);
  }

  /** High-passes the music side of the new frames, sums and interpolates everything into masterL/masterR. */
  finish(masterL: Float32Array, masterR: Float32Array, n: number): void {
    const { writeAt, count } = this;
    this.highpass.processRange(this.musicL, this.musicR, writeAt, count);
    const end = writeAt + count;
    addRange(this.masterL, this.musicL, writeAt, end);
    addRange(this.masterR, this.musicR, writeAt, end);
    interpolateAdd(this.masterL, HALF_BAND_REACH, masterL, n);
    interpolateAdd(this.masterR, HALF_BAND_REACH, masterR, n);
    // Slide the frames the next block still reads (from its blockStart/2 − REACH on) to the front.
    const shift = n >> 1;
    for (const b of this.all) b.copyWithin(0, shift, end);
    this.rendered = this.needed;
  }
}

function addRange(target: Float32Array, source: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) target[i] += source[i];
}

function lowBuffer(): Float32Array {
  return new Float32Array(HALF_BLOCK + 4 * HALF_BAND_REACH + HALF_RATE_WET_LATENCY);
}

/**
 * Adds `length` output frames interpolated from the low-rate signal `x`: output
 * frame 2k from x[offset + k], odd frames from the half-band midpoint (see dsp.ts).
 */
function interpolateAdd(x: Float32Array, offset: number, out: Float32Array, length: number): void {
  const c0 = HALF_BAND_C0;
  const c1 = HALF_BAND_C1;
  const c2 = HALF_BAND_C2;
  let k = offset;
  let i = 0;
  for (; i + 1 < length; i += 2, k++) {
    out[i] += x[k];
    out[i + 1] += c0 * (x[k] + x[k + 1]) + c1 * (x[k - 1] + x[k + 2]) + c2 * (x[k - 2] + x[k + 3]);
  }
  if (i < length) out[i] += x[k];
}

function addInto(target: Float32Array, source: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) target[i] += source[i];
}

/**
 * Copies a finished block into the output, under the fades: a raised-cosine rise
 * from exactly zero at frame 0, and the final fade, (1 − x)², gentle at first,
 * exactly zero on the last frame.
 */
function writeFaded(block: Float32Array, out: Float32Array, blockStart: number, n: number, fadeInFrames: number, fadeStartFrame: number, fadeFrames: number): void {
  if (blockStart >= fadeInFrames && blockStart + n <= fadeStartFrame) {
    for (let i = 0; i < n; i++) out[blockStart + i] = block[i];
    return;
  }
  for (let i = 0; i < n; i++) {
    const frame = blockStart + i;
    let gain = 1;
    if (frame < fadeInFrames) gain = 0.5 - 0.5 * Math.cos((Math.PI * frame) / fadeInFrames);
    if (frame >= fadeStartFrame) {
      const x = (frame - fadeStartFrame) / fadeFrames;
      gain *= (1 - x) * (1 - x);
    }
    out[frame] = block[i] * gain;
  }
}

/**
 * Renders the track's voices for frames [blockStart, blockStart + n) (at
 * sampleRate / divisor) into trackL/trackR[0..n); false when none sounds.
 */
function renderVoices(track: TrackState, trackL: Float32Array, trackR: Float32Array, blockStart: number, n: number, sampleRate: number, divisor: 1 | 2): boolean {
  startDueVoices(track, blockStart + n, sampleRate, divisor);
  if (track.voices.length === 0) return false;
  trackL.fill(0, 0, n);
  if (track.patch.stereo) trackR.fill(0, 0, n);
  let alive = 0;
  for (const voice of track.voices) if (voice.render(trackL, trackR, blockStart, n)) track.voices[alive++] = voice;
  track.voices.length = alive;
  return true;
}

/**
 * A note in the one object shape the engine reads. The composer writes notes from many
 * object literals, each a shape of its own to V8, and code that reads a note deoptimizes
 * whenever it meets a new shape: the copy keeps renderVoices from recompiling (~20 ms) partway
 * through a render.
 */
function uniformNote({ start, duration, midi, velocity, glideFrom }: Note): Note {
  return { start, duration, midi, velocity, glideFrom };
}

/** Starts the voices of notes due before `blockEnd` (in frames at sampleRate / divisor). */
function startDueVoices(track: TrackState, blockEnd: number, sampleRate: number, divisor: 1 | 2): void {
  const { notes } = track;
  const rate = sampleRate / divisor;
  while (track.next < notes.length) {
    const note = notes[track.next];
    const startFrame = Math.round(note.start * rate);
    if (startFrame >= blockEnd) break;
    const timing = {
      startFrame,
      releaseFrame: startFrame + Math.max(1, Math.round(note.duration * rate)),
      amplitude: velocityToAmplitude(note.velocity),
    };
    track.voices.push(track.patch.createVoice(note, timing, (track.seedBase + Math.imul(track.next, 0x9e3779b1)) >>> 0));
    track.next++;
  }
}

function startDueHits(track: TrackState, blockEnd: number, sampleRate: number): void {
  const { notes } = track;
  while (track.next < notes.length) {
    const note = notes[track.next];
    const startFrame = Math.round(note.start * sampleRate);
    if (startFrame >= blockEnd) break;
    const sample = track.patch.hitSample!((track.seedBase + Math.imul(track.next, 0x9e3779b1)) >>> 0);
    track.hits.push({ sample, startFrame, amplitude: velocityToAmplitude(note.velocity) });
    track.next++;
  }
}

/** Adds the sounding hits of a (mono) drum track straight into the buses. */
function mixHits(track: TrackState, dryL: Float32Array, dryR: Float32Array, reverbSend: Float32Array, blockStart: number, n: number): void {
  const reverb = track.patch.reverbSend * track.patch.gain;
  let alive = 0;
  for (const hit of track.hits) {
    const { sample, amplitude } = hit;
    const offset = blockStart - hit.startFrame;
    const from = offset < 0 ? -offset : 0;
    const to = Math.min(n, sample.length - offset);
    const gl = amplitude * track.gainLeft;
    const gr = amplitude * track.gainRight;
    const gs = amplitude * reverb;
    for (let i = from, j = from + offset; i < to; i++, j++) {
      const x = sample[j];
      dryL[i] += x * gl;
      dryR[i] += x * gr;
      reverbSend[i] += x * gs;
    }
    if (offset + n < sample.length) track.hits[alive++] = hit;
  }
  track.hits.length = alive;
}

/** Mixes a rendered track block (frames [0, n) of left/right) into the buses from `at` on. */
function mixTrack(
  track: TrackState,
  left: Float32Array,
  right: Float32Array,
  dryL: Float32Array,
  dryR: Float32Array,
  reverbSend: Float32Array,
  delaySend: Float32Array,
  at: number,
  n: number,
): void {
  const { gainLeft, gainRight, patch } = track;
  if (patch.stereo) {
    mixStereo(left, right, gainLeft, gainRight, 0.5 * patch.reverbSend, dryL, dryR, reverbSend, at, n);
    if (patch.delaySend > 0) sendStereo(left, right, gainLeft, gainRight, 0.5 * patch.delaySend, delaySend, at, n);
  } else {
    mixMono(left, gainLeft, gainRight, patch.reverbSend * patch.gain, dryL, dryR, reverbSend, at, n);
    if (patch.delaySend > 0) sendMono(left, patch.delaySend * patch.gain, delaySend, at, n);
  }
}

function mixMono(mono: Float32Array, gainLeft: number, gainRight: number, reverb: number, dryL: Float32Array, dryR: Float32Array, reverbSend: Float32Array, at: number, n: number): void {
  for (let i = 0, j = at; i < n; i++, j++) {
    const x = mono[i];
    dryL[j] += x * gainLeft;
    dryR[j] += x * gainRight;
    reverbSend[j] += x * reverb;
  }
}

function sendMono(mono: Float32Array, gain: number, send: Float32Array, at: number, n: number): void {
  for (let i = 0, j = at; i < n; i++, j++) send[j] += mono[i] * gain;
}

function mixStereo(left: Float32Array, right: Float32Array, gainLeft: number, gainRight: number, reverb: number, dryL: Float32Array, dryR: Float32Array, reverbSend: Float32Array, at: number, n: number): void {
  for (let i = 0, j = at; i < n; i++, j++) {
    const l = left[i] * gainLeft;
    const r = right[i] * gainRight;
    dryL[j] += l;
    dryR[j] += r;
    reverbSend[j] += (l + r) * reverb;
  }
}

function sendStereo(left: Float32Array, right: Float32Array, gainLeft: number, gainRight: number, gain: number, send: Float32Array, at: number, n: number): void {
  for (let i = 0, j = at; i < n; i++, j++) send[j] += (left[i] * gainLeft + right[i] * gainRight) * gain;
}

/**
 * An empty array already of V8's object element kind. A plain `[]` holds small integers
 * until its first push turns it over, and the per-block code, optimised on the previous
 * render's arrays, is then deoptimised and recompiled early in every render: on a first
 * 30 s render (house, drum and bass) about a tenth of its CPU time.
 */
function objectArray<T>(): T[] {
  const array = [null] as unknown as T[];
  array.length = 0;
  return array;
}
