/**
 * The piece's parts as audio, each rendered on its own: the same synthesis as
 * the mix with only that part's tracks sounding, through the same (linear)
 * buses, reverb, echo and fades. The stems are the pre-master parts, so they sum
 * to the pre-master mix (to float rounding); mastering (loudness gain and
 * limiter) belongs to the mix, and a stem made to sum to the master would carry
 * the limiter's gain changes driven by the other parts. They are written as
 * 32-bit float WAV so nothing clips: a part can peak above full scale before
 * mastering.
 */
import { Score } from '../compose/score';
import { STYLES } from '../compose/styles';
import { MusicPlan } from '../plan';
import { QUALITY } from '../quality';
import { composeRequest, Pacer, RenderOptions, RenderRequest } from '../render';
import { synthesize } from '../synth/engine';
import { Part, scoreParts } from './parts';

export interface PartAudio {
  part: Part;
  left: Float32Array;
  right: Float32Array;
}

export interface RenderedPart extends PartAudio {
  /** 0-based, in scoreParts order */
  index: number;
  count: number;
  sampleRate: number;
}

/** The parts a request's stems will hold, without rendering anything. */
export function stemParts(req: RenderRequest): { parts: Part[]; plan: MusicPlan; score: Score } {
  const { plan, score } = composeRequest(req);
  return { parts: scoreParts(score), plan, score };
}

/**
 * Renders the request's parts one after another, yielding each when it is done,
 * so a caller that writes each away holds one part in memory at a time.
 * Progress runs over all the parts; `signal` stops between blocks.
 */
export async function* renderStems(req: RenderRequest, opts: RenderOptions = {}): AsyncGenerator<RenderedPart> {
  const { parts, plan, score } = stemParts(req);
  const pacer = new Pacer(opts);
  await pacer.step(0);
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index];
    const audio = await synthesizeTracks(req, plan, score, new Set(part.tracks.map((track) => track.id)), (fraction) => pacer.step((index + fraction) / parts.length));
    yield { part, ...audio, index, count: parts.length, sampleRate: req.sampleRate };
  }
  await pacer.step(1);
}

/** The request's mix before mastering: what its stems sum to. */
export async function renderPreMasterMix(req: RenderRequest, opts: RenderOptions = {}): Promise<{ left: Float32Array; right: Float32Array; plan: MusicPlan }> {
  const { plan, score } = composeRequest(req);
  const pacer = new Pacer(opts);
  const audio = await synthesizeTracks(req, plan, score, undefined, (fraction) => pacer.step(fraction));
  return { ...audio, plan };
}

async function synthesizeTracks(
  req: RenderRequest,
  plan: MusicPlan,
  score: Score,
  only: ReadonlySet<string> | undefined,
  step: (fraction: number) => Promise<void>,
): Promise<{ left: Float32Array; right: Float32Array }> {
  const frames = Math.round(req.durationSeconds * req.sampleRate);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  await synthesize(score, plan, STYLES[plan.genre], QUALITY[req.quality], { left, right, sampleRate: req.sampleRate, only }, (done) => step(done / frames));
  return { left, right };
}

/** "01-drums.wav": numbered so a folder lists the parts in the score's order. */
export function stemFileName(index: number, name: string): string {
  return `${String(index + 1).padStart(2, '0')}-${name}.wav`;
}

const FLOAT_WAV_HEADER_BYTES = 58;

/**
 * A stereo 32-bit IEEE float WAV file (format tag 3, with the `fact` chunk the
 * RIFF spec asks of non-PCM data): what DAWs import at full precision.
 */
export function encodeWavFloat32(left: Float32Array, right: Float32Array, sampleRate: number): Buffer {
  if (left.length !== right.length) throw new RangeError('both channels must have the same length');
  const frames = left.length;
  const dataBytes = frames * 8;
  const out = Buffer.alloc(FLOAT_WAV_HEADER_BYTES + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(FLOAT_WAV_HEADER_BYTES - 8 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(18, 16);
  out.writeUInt16LE(3, 20);
  out.writeUInt16LE(2, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 8, 28);
  out.writeUInt16LE(8, 32);
  out.writeUInt16LE(32, 34);
  out.writeUInt16LE(0, 36);
  out.write('fact', 38, 'ascii');
  out.writeUInt32LE(4, 42);
  out.writeUInt32LE(frames, 46);
  out.write('data', 50, 'ascii');
  out.writeUInt32LE(dataBytes, 54);
  for (let i = 0, at = FLOAT_WAV_HEADER_BYTES; i < frames; i++, at += 8) {
    out.writeFloatLE(left[i], at);
    out.writeFloatLE(right[i], at + 4);
  }
  return out;
}
