/**
 * Which voice plays each track, and how the track sits in the mix: level, pan,
 * reverb and delay sends, insert effects.
 */
import { Note, TrackSource } from '../compose/score';
import { DrumKit, GenreStyle, GrooveId } from '../compose/styles';
import { Role } from '../instruments';
import { MusicPlan } from '../plan';
import { QualitySettings } from '../quality';
import { midiToHz } from '../theory/pitch';
import { AdditiveVoice, BELLS, ELECTRIC_PIANO, ORGAN, PIANO } from './voices/additive';
import { HALF_RATE_MIN_SAMPLE_RATE } from './dsp';
import { Bass808Voice, DrumPatch, renderDrumHit, SampleVoice } from './voices/drums';
import { ACOUSTIC_GUITAR, BASS_GUITAR, ELECTRIC_GUITAR, HARP, PluckVoice } from './voices/pluck';
import {
  BASSOON, BRASS, CHIP_ARP, CHIP_BASS, CHIP_LEAD, CHOIR, CLARINET, FLUTE, LEAD, OBOE, PAD, SAXOPHONE, STRINGS, SubtractivePatch, SubtractiveVoice, SYNTH_BASS,
} from './voices/subtractive';
import { VinylVoice } from './voices/texture';
import { Voice, VoiceTiming } from './voice';

export interface TrackPatch {
  /** linear gain into the mix */
  gain: number;
  /** −1 (left) … +1 (right) */
  pan: number;
  reverbSend: number;
  delaySend: number;
  /** overdrive amount for an insert drive (mono tracks only), 0 = none */
  drive: number;
  /** voices write both channels (otherwise only the left, and the track is mono) */
  stereo: boolean;
  /**
   * Part of the low end (bass lines — or the chords, where no part plays the
   * bass —, kick, toms, record rumble): mixed straight to the master bus, and
   * trimmed by the genre's lowEndDb. Every other track is kept out of the region
   * below the bass line (see engine.ts).
   */
  low: boolean;
  /**
   * Voices are synthesised at half the sample rate (timing in half-rate frames)
   * and interpolated up: for smooth, low-passed parts at 44.1/48 kHz.
   */
  halfRate: boolean;
  /**
   * Drum tracks: the sample each note replays, scaled by its velocity (rendered
   * once per variant; `seed` picks one of a few, so repeated hits are not identical).
   */
  hitSample?: (seed: number) => Float32Array;
  createVoice(note: Note, timing: VoiceTiming, seed: number): Voice;
}

interface PatchContext {
  plan: MusicPlan;
  style: GenreStyle;
  sampleRate: number;
  quality: QualitySettings;
  /** no track plays the bass role: the chords (broken figures, a solo piano's left hand) carry the bass */
  bassless?: boolean;
  /** the highest note the track plays (MIDI), when known */
  highestMidi?: number;
}

/**
 * Whether a subtractive part can be synthesised at half rate: pads, chords and
 * bass lines always (see halfRateFor), any other part whose filter, fully open
 * on its highest note, stays in the band the interpolator passes cleanly — a
 * brass line, but not a bright lead or a chiptune pulse.
 */
function subtractiveHalf(patch: SubtractivePatch, role: Role, ctx: PatchContext): boolean {
  if (halfRateFor(role, ctx.sampleRate)) return true;
  if (ctx.sampleRate < HALF_RATE_MIN_SAMPLE_RATE || ctx.highestMidi === undefined) return false;
  return midiToHz(ctx.highestMidi) * (patch.cutoff + patch.cutoffEnvelope) < 0.125 * ctx.sampleRate;
}

function subtractive(patch: SubtractivePatch, ctx: PatchContext, halfRate = false) {
  const unison = Math.max(1, Math.round(patch.unison * ctx.quality.unison));
  const rate = halfRate ? ctx.sampleRate / 2 : ctx.sampleRate;
  return (note: Note, timing: VoiceTiming, seed: number): Voice => new SubtractiveVoice(patch, midiToHz(note.midi), note.velocity, timing, rate, unison, seed);
}

/**
 * Whether a part can be synthesised at half rate because of its role: pads,
 * chords (voiced below ~600 Hz: a piano's twelfth partial or a pad's low-passed
 * harmonics stay under 7 kHz) and bass lines keep everything well under the half
 * rate's Nyquist frequency. Melodies and arpeggios (higher, brighter) qualify only
 * when their own highest note allows it (subtractiveHalf, additiveHalf); bells,
 * guitars, chiptune pulses and drums always stay at the full rate.
 */
function halfRateFor(role: Role, sampleRate: number): boolean {
  return sampleRate >= HALF_RATE_MIN_SAMPLE_RATE && (role === 'pad' || role === 'chords' || role === 'bass');
}

/** The highest partial (Hz) an additive voice renders for a note of `hz` with at most `maxPartials` partials. */
function highestPartialHz(patch: typeof PIANO, hz: number, maxPartials: number): number {
  const b = patch.inharmonicity * Math.pow(hz / 261.63, 2);
  let highest = 0;
  for (let k = 0; k < Math.min(maxPartials, patch.ratios.length); k++) {
    const n = patch.ratios[k];
    highest = Math.max(highest, hz * n * Math.sqrt(1 + b * n * n));
  }
  return highest;
}

export function trackPatch(source: TrackSource, ctx: PatchContext): TrackPatch {
  const patch = source.type === 'drum' ? drumTrackPatch(source.piece, source.kit, ctx) : instrumentPatch(source, ctx);
  // The genre's low-end balance applies to everything that plays down there.
  if (patch.low && ctx.style.lowEndDb) patch.gain *= Math.pow(10, ctx.style.lowEndDb / 20);
  return patch;
}

const WOODWINDS: Record<'flute' | 'clarinet' | 'oboe' | 'saxophone' | 'bassoon', SubtractivePatch> = { flute: FLUTE, clarinet: CLARINET, oboe: OBOE, saxophone: SAXOPHONE, bassoon: BASSOON };
/** Where each woodwind sits when it plays a tune: an orchestra's seating, left to right. */
const WOODWIND_PAN: Record<keyof typeof WOODWINDS, number> = { flute: -0.15, oboe: 0.1, clarinet: -0.1, bassoon: 0.15, saxophone: 0.1 };

function instrumentPatch(source: Extract<TrackSource, { type: 'instrument' }>, ctx: PatchContext): TrackPatch {
  const { sampleRate, quality } = ctx;
  const role = source.role;
  const half = halfRateFor(role, sampleRate);
  // An additive part is a sum of known partials: it can be synthesised at half rate
  // whenever the highest partial of its highest note stays in the band the
  // interpolator passes cleanly (a quarter of the half rate): chords always, a low
  // piano or organ melody at the qualities that keep few partials.
  const additiveHalf = (patch: typeof PIANO) =>
    half || (sampleRate >= HALF_RATE_MIN_SAMPLE_RATE && ctx.highestMidi !== undefined && highestPartialHz(patch, midiToHz(ctx.highestMidi), quality.partials) < 0.125 * sampleRate);
  const additive = (patch: typeof PIANO) => {
    const rate = additiveHalf(patch) ? sampleRate / 2 : sampleRate;
    return (note: Note, timing: VoiceTiming, seed: number): Voice => new AdditiveVoice(patch, midiToHz(note.midi), note.velocity, timing, rate, quality.partials, seed);
  };
  // Bells ring up to ninefold partials: always at the full rate.
  const fullRate = (patch: typeof PIANO) => (note: Note, timing: VoiceTiming, seed: number): Voice =>
    new AdditiveVoice(patch, midiToHz(note.midi), note.velocity, timing, sampleRate, quality.partials, seed);
  const pluck = (patch: typeof HARP) => (note: Note, timing: VoiceTiming, seed: number): Voice => new PluckVoice(patch, midiToHz(note.midi), note.velocity, timing, sampleRate, seed);
  const sidePan = role === 'melody' ? 0.08 : role === 'arp' ? 0.3 : role === 'bass' ? 0 : -0.2;
  // Chords sound several notes at once: they sit lower than the single-note parts.
  const roleDb = role === 'chords' ? -8 : 0;
  const low = role === 'bass' || (role === 'chords' && ctx.bassless === true);
  const base = { pan: sidePan, reverbSend: ctx.style.reverb.send, delaySend: 0, drive: 0, stereo: false, low, halfRate: false };
  const db = (decibels: number) => Math.pow(10, (decibels + roleDb) / 20);
  switch (source.instrument) {
    case 'piano':
      return { ...base, gain: db(role === 'bass' ? -3 : -1), halfRate: additiveHalf(PIANO), createVoice: additive(PIANO) };
    case 'electric-piano':
      return { ...base, gain: db(-2), halfRate: additiveHalf(ELECTRIC_PIANO), createVoice: additive(ELECTRIC_PIANO) };
    case 'organ':
      return { ...base, gain: db(-8), halfRate: additiveHalf(ORGAN), createVoice: additive(ORGAN) };
    case 'bells':
      return { ...base, pan: role === 'melody' ? 0.15 : 0.3, gain: db(-4), reverbSend: base.reverbSend * 1.5, delaySend: 0.22, createVoice: fullRate(BELLS) };
    case 'acoustic-guitar':
      return { ...base, pan: role === 'chords' ? -0.35 : 0.35, gain: db(-3), createVoice: pluck(ACOUSTIC_GUITAR) };
    case 'electric-guitar': {
      const distorted = ctx.style.comp === 'power';
      return { ...base, pan: -0.35, gain: db(distorted ? 1 : -2), drive: distorted ? 7 : 0, reverbSend: base.reverbSend * 0.8, createVoice: pluck(ELECTRIC_GUITAR) };
    }
    case 'harp':
      return { ...base, pan: 0.3, gain: db(0), reverbSend: base.reverbSend * 1.3, createVoice: pluck(HARP) };
    case 'bass':
      return { ...base, gain: db(1), reverbSend: 0, createVoice: pluck(BASS_GUITAR) };
    case 'strings':
      return { ...base, pan: role === 'melody' ? 0.15 : 0, gain: db(role === 'bass' ? -6 : role === 'melody' ? -9 : -15), reverbSend: base.reverbSend * 1.3, stereo: true, halfRate: subtractiveHalf(STRINGS, role, ctx), createVoice: subtractive(STRINGS, ctx, subtractiveHalf(STRINGS, role, ctx)) };
    case 'brass':
      return { ...base, pan: 0.2, gain: db(-6), reverbSend: base.reverbSend * 1.2, stereo: true, halfRate: subtractiveHalf(BRASS, role, ctx), createVoice: subtractive(BRASS, ctx, subtractiveHalf(BRASS, role, ctx)) };
    case 'flute':
    case 'clarinet':
    case 'oboe':
    case 'saxophone':
    case 'bassoon': {
      const patch = WOODWINDS[source.instrument];
      const pan = role === 'bass' ? 0 : role === 'arp' ? 0.3 : WOODWIND_PAN[source.instrument];
      const halfRate = subtractiveHalf(patch, role, ctx);
      return { ...base, pan, gain: db(-7), reverbSend: base.reverbSend * 1.2, stereo: true, halfRate, createVoice: subtractive(patch, ctx, halfRate) };
    }
    case 'choir': {
      const halfRate = subtractiveHalf(CHOIR, role, ctx);
      return { ...base, pan: 0, gain: db(role === 'melody' ? -9 : role === 'chords' ? -7 : -14), reverbSend: base.reverbSend * 1.4, stereo: true, halfRate, createVoice: subtractive(CHOIR, ctx, halfRate) };
    }
    case 'pad':
      return { ...base, pan: 0, gain: db(-14), reverbSend: base.reverbSend * 1.4, stereo: true, halfRate: half, createVoice: subtractive(PAD, ctx, half) };
    case 'lead':
      return { ...base, pan: role === 'arp' ? 0.25 : 0, gain: db(-13), delaySend: 0.2, stereo: true, halfRate: subtractiveHalf(LEAD, role, ctx), createVoice: subtractive(LEAD, ctx, subtractiveHalf(LEAD, role, ctx)) };
    case 'chip':
      return {
        ...base,
        pan: role === 'melody' || role === 'bass' ? 0 : role === 'arp' ? 0.3 : -0.3,
        gain: db(role === 'bass' ? -4 : -13),
        reverbSend: 0.05,
        stereo: true,
        createVoice: subtractive(role === 'bass' ? CHIP_BASS : role === 'melody' ? CHIP_LEAD : CHIP_ARP, ctx),
      };
    case 'synth-bass':
      return { ...base, pan: 0, gain: db(-2), reverbSend: 0, stereo: true, halfRate: half, createVoice: subtractive(SYNTH_BASS, ctx, half) };
    case '808':
      return {
        ...base,
        pan: 0,
        gain: db(-3),
        reverbSend: 0,
        createVoice: (note, timing) => new Bass808Voice(midiToHz(note.midi), note.glideFrom === undefined ? undefined : midiToHz(note.glideFrom), timing, sampleRate),
      };
    case 'vinyl':
      return { ...base, pan: 0, gain: db(-2), reverbSend: 0, stereo: true, low: true, createVoice: (_note, timing, seed) => new VinylVoice(timing, sampleRate, seed) };
    case 'drums':
      throw new Error('drum tracks carry a drum source');
  }
}

type Piece = Extract<TrackSource, { type: 'drum' }>['piece'];

/**
 * Level of the kick's beater click in a four-on-the-floor groove: the click is what
 * marks each beat against struck parts, whose attacks (a sampled piano's hammers)
 * otherwise outweigh the kick — house at 124 bpm reads at half tempo at 22.05 kHz.
 */
const FLOOR_KICK_CLICK = 0.5;
const KICK_CLICK = 0.25;

/** Kit sounds. Hat and cymbal filters stay below Nyquist at low sample rates. */
function kitPatch(piece: Piece, kit: DrumKit, sampleRate: number, groove: GrooveId): DrumPatch {
  const top = sampleRate * 0.45;
  const hatHp = Math.min(3500, sampleRate * 0.2);
  const chip = kit === 'chip';
  const click = groove === 'four-on-floor' || groove === 'techno' ? FLOOR_KICK_CLICK : KICK_CLICK;
  switch (piece) {
    case 'kick':
      if (chip) return { body: { startHz: 180, endHz: 45, sweepSeconds: 0.03, decaySeconds: 0.18, level: 1, square: true }, drive: 1 };
      if (kit === 'brush') return { body: { startHz: 110, endHz: 55, sweepSeconds: 0.02, decaySeconds: 0.25, level: 0.8 }, drive: 1 };
      return {
        body: { startHz: kit === '808' ? 160 : 150, endHz: kit === '808' ? 45 : 50, sweepSeconds: 0.035, decaySeconds: kit === '808' ? 0.9 : 0.45, level: 1 },
        noise: { level: click, decaySeconds: 0.012, highpassHz: 1500, lowpassHz: Math.min(top, 8000) },
        drive: kit === 'electronic' || kit === '808' ? 1.8 : 1.2,
      };
    case 'snare':
      if (chip) return { noise: { level: 0.9, decaySeconds: 0.16, highpassHz: 400, lowpassHz: top, holdHz: 11000 }, drive: 1 };
      if (kit === 'brush') return { noise: { level: 0.55, decaySeconds: 0.22, highpassHz: 1200, lowpassHz: Math.min(top, 7000) }, drive: 1 };
      return {
        body: { startHz: 260, endHz: 185, sweepSeconds: 0.02, decaySeconds: 0.12, level: 0.55 },
        noise: { level: 0.75, decaySeconds: kit === 'orchestral' ? 0.25 : 0.2, highpassHz: 1000, lowpassHz: Math.min(top, 9000) },
        drive: 1.3,
      };
    case 'clap':
      return { noise: { level: 0.9, decaySeconds: 0.22, highpassHz: 900, lowpassHz: Math.min(top, 5000), bursts: 3 }, drive: 1 };
    case 'rim':
      return { body: { startHz: 1700, endHz: 1600, sweepSeconds: 0.01, decaySeconds: 0.04, level: 0.5 }, noise: { level: 0.4, decaySeconds: 0.03, highpassHz: 2000, lowpassHz: Math.min(top, 6000) }, drive: 1 };
    case 'closed-hat':
      return { noise: { level: 1, decaySeconds: chip ? 0.03 : 0.05, highpassHz: hatHp, lowpassHz: top, holdHz: chip ? 20000 : undefined }, drive: 1 };
    case 'open-hat':
      return { noise: { level: 0.8, decaySeconds: 0.32, highpassHz: hatHp, lowpassHz: top }, drive: 1 };
    case 'ride':
      return { body: { startHz: Math.min(top, 3100), endHz: Math.min(top, 3000), sweepSeconds: 0.01, decaySeconds: 0.9, level: 0.12 }, noise: { level: 0.3, decaySeconds: 1, highpassHz: Math.min(5000, sampleRate * 0.25), lowpassHz: top }, drive: 1 };
    case 'crash':
      return { noise: { level: 0.55, decaySeconds: 1.8, highpassHz: Math.min(3500, sampleRate * 0.2), lowpassHz: top }, drive: 1 };
    case 'tom-low':
      return kit === 'orchestral'
        ? { body: { startHz: 95, endHz: 58, sweepSeconds: 0.08, decaySeconds: 0.9, level: 1 }, noise: { level: 0.3, decaySeconds: 0.12, highpassHz: 200, lowpassHz: 2500 }, drive: 1.4 }
        : { body: { startHz: 140, endHz: 90, sweepSeconds: 0.05, decaySeconds: 0.45, level: 0.9 }, noise: { level: 0.15, decaySeconds: 0.05, highpassHz: 400, lowpassHz: 4000 }, drive: 1.2 };
    case 'tom-high':
      return kit === 'orchestral'
        ? { body: { startHz: 150, endHz: 100, sweepSeconds: 0.06, decaySeconds: 0.6, level: 0.9 }, noise: { level: 0.3, decaySeconds: 0.1, highpassHz: 300, lowpassHz: 3500 }, drive: 1.3 }
        : { body: { startHz: 220, endHz: 150, sweepSeconds: 0.04, decaySeconds: 0.35, level: 0.85 }, noise: { level: 0.15, decaySeconds: 0.04, highpassHz: 500, lowpassHz: 5000 }, drive: 1.2 };
  }
}

const DRUM_MIX: Record<Piece, { gainDb: number; pan: number; reverb: number }> = {
  kick: { gainDb: -2, pan: 0, reverb: 0.02 },
  snare: { gainDb: 1, pan: 0.04, reverb: 0.14 },
  clap: { gainDb: -1, pan: -0.04, reverb: 0.18 },
  rim: { gainDb: -9, pan: 0.15, reverb: 0.1 },
  'closed-hat': { gainDb: 1, pan: 0.3, reverb: 0.04 },
  'open-hat': { gainDb: -3, pan: 0.3, reverb: 0.06 },
  ride: { gainDb: -3, pan: -0.35, reverb: 0.08 },
  crash: { gainDb: -7, pan: -0.3, reverb: 0.1 },
  'tom-low': { gainDb: -9, pan: -0.2, reverb: 0.2 },
  'tom-high': { gainDb: -7, pan: 0.2, reverb: 0.2 },
};

/** Different noise renderings of each drum sound a track alternates between. */
const HIT_VARIANTS = 4;

function drumTrackPatch(piece: Piece, kit: DrumKit, ctx: PatchContext): TrackPatch {
  const patch = kitPatch(piece, kit, ctx.sampleRate, ctx.style.groove);
  const mix = DRUM_MIX[piece];
  const heavy = ctx.plan.drums === 'heavy' ? 2 : ctx.plan.drums === 'light' ? -3 : 0;
  const variants: (Float32Array | undefined)[] = [];
  // The top bits of the (golden-ratio hashed) note seed pick the variant; each is
  // rendered the first time it is needed, with the seed of that note.
  const hitSample = (seed: number) => (variants[Math.floor(((seed >>> 0) / 2 ** 32) * HIT_VARIANTS)] ??= renderDrumHit(patch, ctx.sampleRate, seed));
  return {
    gain: Math.pow(10, (mix.gainDb + heavy) / 20),
    pan: mix.pan,
    reverbSend: mix.reverb,
    delaySend: 0,
    drive: 0,
    stereo: false,
    low: piece === 'kick' || piece === 'tom-low' || piece === 'tom-high',
    halfRate: false,
    hitSample,
    createVoice: (_note, timing, seed) => new SampleVoice(hitSample(seed), timing),
  };
}
