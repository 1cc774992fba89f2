/**
 * Score → stereo float mix, block by block. Each track starts voices as their
 * notes come due, renders them into a small block buffer, runs its insert and
 * mixes into the dry bus and the reverb/delay sends; the block is then finished
 * (effects, genre colouring, the final fade) and copied into the output arrays.
 * Working memory is a handful of block buffers plus the voices that are
 * sounding, whatever the duration.
 */
import { Score } from '../compose/score';
import { GenreStyle } from '../compose/styles';
import { MusicPlan } from '../plan';
import { QualitySettings } from '../quality';
import { Drive, PingPongDelay, Reverb, ToneLowpass } from './effects';
import { TrackPatch, trackPatch } from './patches';
import { velocityToAmplitude, Voice } from './voice';

export const BLOCK_FRAMES = 1024;

interface TrackState {
  patch: TrackPatch;
  notes: Score['tracks'][number]['notes'];
  next: number;
  voices: Voice[];
  gainLeft: number;
  gainRight: number;
  drive: Drive | null;
  seedBase: number;
}

export interface SynthesisTarget {
  left: Float32Array;
  right: Float32Array;
  sampleRate: number;
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
): Promise<void> {
  const { left, right, sampleRate } = target;
  const frames = left.length;
  const ctx = { plan, style, sampleRate, quality };
  const tracks: TrackState[] = score.tracks.map((track, index) => {
    const patch = trackPatch(track.source, ctx);
    // Constant-power pan.
    const angle = ((patch.pan + 1) * Math.PI) / 4;
    return {
      patch,
      notes: track.notes,
      next: 0,
      voices: [],
      gainLeft: patch.gain * Math.cos(angle) * Math.SQRT2,
      gainRight: patch.gain * Math.sin(angle) * Math.SQRT2,
      drive: patch.drive > 0 ? new Drive(sampleRate, patch.drive) : null,
      seedBase: Math.imul(plan.seed ^ 0x5bd1e995, index + 1) >>> 0,
    };
  });
  const reverb = new Reverb(sampleRate, style.reverb.seconds * (plan.moods.includes('dreamy') ? 1.4 : 1), quality.reverbLines, quality.reverbDiffusion, plan.brightness);
  const delay = new PingPongDelay(sampleRate, (60 / plan.tempoBpm) * 0.75, 0.38);
  const tone = style.lofi ? new ToneLowpass(sampleRate, 5200) : null;
  const buffers = Array.from({ length: 6 }, () => new Float32Array(BLOCK_FRAMES));
  const [trackL, trackR, dryL, dryR, reverbSend, delaySend] = buffers;
  const fadeStartFrame = Math.min(frames - 1, Math.round(score.fadeStartSeconds * sampleRate));
  const fadeFrames = Math.max(1, frames - 1 - fadeStartFrame);

  for (let blockStart = 0; blockStart < frames; blockStart += BLOCK_FRAMES) {
    const n = Math.min(BLOCK_FRAMES, frames - blockStart);
    const blockEnd = blockStart + n;
    for (const b of buffers) b.fill(0, 0, n);
    for (const track of tracks) {
      startDueVoices(track, blockEnd, sampleRate);
      if (track.voices.length === 0) continue;
      const stereo = track.patch.stereo;
      trackL.fill(0, 0, n);
      if (stereo) trackR.fill(0, 0, n);
      let alive = 0;
      for (const voice of track.voices) if (voice.render(trackL, trackR, blockStart, n)) track.voices[alive++] = voice;
      track.voices.length = alive;
      track.drive?.process(trackL, n);
      if (stereo) mixStereo(track, trackL, trackR, dryL, dryR, reverbSend, delaySend, n);
      else mixMono(track, trackL, dryL, dryR, reverbSend, delaySend, n);
    }
    reverb.process(reverbSend, dryL, dryR, n, 1);
    delay.process(delaySend, dryL, dryR, n, 0.6);
    tone?.process(dryL, dryR, n);
    for (let i = 0; i < n; i++) {
      const frame = blockStart + i;
      let gain = 1;
      if (frame >= fadeStartFrame) {
        // (1 − x)²: gentle at first, exactly zero on the last frame
        const x = (frame - fadeStartFrame) / fadeFrames;
        gain = (1 - x) * (1 - x);
      }
      left[frame] = dryL[i] * gain;
      right[frame] = dryR[i] * gain;
    }
    await afterBlock(blockEnd);
  }
}

function startDueVoices(track: TrackState, blockEnd: number, sampleRate: number): void {
  const { notes } = track;
  while (track.next < notes.length) {
    const note = notes[track.next];
    const startFrame = Math.round(note.start * sampleRate);
    if (startFrame >= blockEnd) break;
    const timing = {
      startFrame,
      releaseFrame: startFrame + Math.max(1, Math.round(note.duration * sampleRate)),
      amplitude: velocityToAmplitude(note.velocity),
    };
    track.voices.push(track.patch.createVoice(note, timing, (track.seedBase + Math.imul(track.next, 0x9e3779b1)) >>> 0));
    track.next++;
  }
}

function mixMono(track: TrackState, mono: Float32Array, dryL: Float32Array, dryR: Float32Array, reverbSend: Float32Array, delaySend: Float32Array, n: number): void {
  const { gainLeft, gainRight } = track;
  const reverb = track.patch.reverbSend * track.patch.gain;
  for (let i = 0; i < n; i++) {
    const x = mono[i];
    dryL[i] += x * gainLeft;
    dryR[i] += x * gainRight;
    reverbSend[i] += x * reverb;
  }
  const delay = track.patch.delaySend * track.patch.gain;
  if (delay > 0) for (let i = 0; i < n; i++) delaySend[i] += mono[i] * delay;
}

function mixStereo(
  track: TrackState,
  left: Float32Array,
  right: Float32Array,
  dryL: Float32Array,
  dryR: Float32Array,
  reverbSend: Float32Array,
  delaySend: Float32Array,
  n: number,
): void {
  const { gainLeft, gainRight } = track;
  const reverb = 0.5 * track.patch.reverbSend;
  for (let i = 0; i < n; i++) {
    const l = left[i] * gainLeft;
    const r = right[i] * gainRight;
    dryL[i] += l;
    dryR[i] += r;
    reverbSend[i] += (l + r) * reverb;
  }
  const delay = 0.5 * track.patch.delaySend;
  if (delay > 0) for (let i = 0; i < n; i++) delaySend[i] += (left[i] * gainLeft + right[i] * gainRight) * delay;
}
