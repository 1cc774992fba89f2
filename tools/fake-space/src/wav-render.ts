/**
 * Deterministic "music": a chord pad plus an arpeggio whose key, mode, tempo and
 * pattern come from a hash of the prompt and seed. Same inputs, same bytes; a different
 * prompt or seed gives different bytes. The length is exactly the requested duration.
 */
import { createHash } from 'node:crypto';
import { encodeWavPcm16 } from '@texttune/audio';

export interface TrackRequest {
  prompt: string;
  seed: number | string;
  durationSeconds: number;
  sampleRate: number;
  channels: 1 | 2;
}

export interface TrackPlan {
  rootMidi: number;
  minor: boolean;
  bpm: number;
  pattern: number[];
  frames: number;
}

export interface RenderedTrack {
  wav: Buffer;
  sha256: string;
  plan: TrackPlan;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The musical choices for a prompt/seed pair (exposed so tests can reason about them). */
export function planTrack(request: TrackRequest): TrackPlan {
  const digest = createHash('sha256').update(`${request.prompt}\u0000${String(request.seed)}`).digest();
  const patterns = [
    [0, 1, 2, 1],
    [0, 2, 1, 2],
    [0, 1, 2, 3],
    [2, 1, 0, 1],
  ];
  return {
    rootMidi: 45 + (digest[0] % 12),
    minor: digest[1] % 2 === 1,
    bpm: 80 + (digest[2] % 61),
    pattern: patterns[digest[3] % patterns.length],
    frames: Math.max(1, Math.round(request.durationSeconds * request.sampleRate)),
  };
}

const midiToHz = (midi: number): number => 440 * 2 ** ((midi - 69) / 12);

export function renderTrack(request: TrackRequest): RenderedTrack {
  const plan = planTrack(request);
  const { sampleRate } = request;
  const third = plan.minor ? 3 : 4;
  // chord tones: root, third, fifth, octave
  const chord = [0, third, 7, 12].map((step) => midiToHz(plan.rootMidi + step));
  const noteFrames = Math.max(1, Math.round((60 / plan.bpm / 2) * sampleRate)); // eighth notes
  const left = new Float32Array(plan.frames);
  const right = request.channels === 2 ? new Float32Array(plan.frames) : null;
  const twoPi = 2 * Math.PI;
  for (let i = 0; i < plan.frames; i++) {
    const t = i / sampleRate;
    let pad = 0;
    for (let c = 0; c < 3; c++) pad += Math.sin(twoPi * chord[c] * 0.5 * t);
    const note = Math.floor(i / noteFrames);
    const inNote = (i % noteFrames) / noteFrames;
    const freq = chord[plan.pattern[note % plan.pattern.length]] * 2;
    const envelope = Math.exp(-4 * inNote);
    const arp = Math.sin(twoPi * freq * t) * envelope;
    // short fades so the file starts and ends at silence
    const fade = Math.min(1, i / (0.01 * sampleRate), (plan.frames - i) / (0.01 * sampleRate));
    left[i] = (pad * 0.08 + arp * 0.35) * fade;
    if (right) right[i] = (pad * 0.08 + arp * 0.25) * fade;
  }
  const wav = encodeWavPcm16(right ? [left, right] : [left], sampleRate);
  return { wav, sha256: sha256Hex(wav), plan };
}
