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
import { loopTailSeconds, wrapTail } from '../loop';
import { composeRequest, Pacer, RenderOptions, RenderRequest, sampledInstruments } from '../render';
import { SoundFont } from '../soundfont/bank';
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
 * Renders the request's parts one after another, yielding each when it is done.
 * Every part is rendered into the same two channel arrays, so the memory is one
 * part's whatever their number (a 300 s part at 48 kHz is 115 MB, and a fresh pair
 * per part left several parts' worth waiting for the garbage collector): use or
 * copy a part's samples before asking for the next one.
 * Progress runs over all the parts; `signal` stops between blocks.
 */
export async function* renderStems(req: RenderRequest, opts: RenderOptions = {}): AsyncGenerator<RenderedPart> {
  const { parts, plan, score } = stemParts(req);
  const pacer = new Pacer(opts);
  await pacer.step(0);
  const soundFont = await sampledInstruments(req, plan, score, opts, () => pacer.step(0));
  const audio = allocate(req, plan);
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index];
    audio.left.fill(0);
    audio.right.fill(0);
    const stem = await synthesizeTracks(req, plan, score, soundFont, audio, new Set(part.tracks.map((track) => track.id)), (fraction) => pacer.step((index + fraction) / parts.length));
    yield { part, ...stem, index, count: parts.length, sampleRate: req.sampleRate };
  }
  await pacer.step(1);
}

/** The request's mix before mastering: what its stems sum to. */
export async function renderPreMasterMix(req: RenderRequest, opts: RenderOptions = {}): Promise<{ left: Float32Array; right: Float32Array; plan: MusicPlan }> {
  const { plan, score } = composeRequest(req);
  const pacer = new Pacer(opts);
  const soundFont = await sampledInstruments(req, plan, score, opts, () => pacer.step(0));
  const audio = allocate(req, plan);
  const mix = await synthesizeTracks(req, plan, score, soundFont, audio, undefined, (fraction) => pacer.step(fraction));
  return { ...mix, plan };
}

/** Channel arrays for one render: a loop's are longer by the tail that wraps onto its start, as in renderMusic. */
function allocate(req: RenderRequest, plan: MusicPlan): { left: Float32Array; right: Float32Array } {
  const frames = Math.round(req.durationSeconds * req.sampleRate);
  const rendered = plan.loop ? frames + Math.round(loopTailSeconds(plan, STYLES[plan.genre]) * req.sampleRate) : frames;
  return { left: new Float32Array(rendered), right: new Float32Array(rendered) };
}

/**
 * Synthesises the score's tracks in `only` (all when absent) into out.left/out.right
 * and returns the piece's frames: for a loop, with its tail wrapped onto the start.
 */
async function synthesizeTracks(
  req: RenderRequest,
  plan: MusicPlan,
  score: Score,
  soundFont: SoundFont | undefined,
  out: { left: Float32Array; right: Float32Array },
  only: ReadonlySet<string> | undefined,
  step: (fraction: number) => Promise<void>,
): Promise<{ left: Float32Array; right: Float32Array }> {
  const rendered = out.left.length;
  await synthesize(score, plan, STYLES[plan.genre], QUALITY[req.quality], { left: out.left, right: out.right, sampleRate: req.sampleRate, only }, (done) => step(done / rendered), soundFont);
  if (!plan.loop) return out;
  const frames = Math.round(req.durationSeconds * req.sampleRate);
  return { left: wrapTail(out.left, frames), right: wrapTail(out.right, frames) };
}

/** "01-drums.wav": numbered so a folder lists the parts in the score's order. */
export function stemFileName(index: number, name: string): string {
  return `${String(index + 1).padStart(2, '0')}-${name}.wav`;
}

const FLOAT_WAV_HEADER_BYTES = 58;
const CHUNK_FRAMES = 16384;
/** True when the host stores floats little-endian, as WAV does. */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Size in bytes of a stereo 32-bit float WAV file of `frames` frames. */
export function wavFloat32ByteLength(frames: number): number {
  return FLOAT_WAV_HEADER_BYTES + frames * 8;
}

/**
 * A stereo 32-bit IEEE float WAV file (format tag 3, with the `fact` chunk the
 * RIFF spec asks of non-PCM data): what DAWs import at full precision. In
 * pieces — the header, then CHUNK_FRAMES frames at a time — so a long part can be
 * streamed without a second copy of it in memory.
 */
export function* wavFloat32Chunks(left: Float32Array, right: Float32Array, sampleRate: number): Generator<Buffer> {
  if (left.length !== right.length) throw new RangeError('both channels must have the same length');
  const frames = left.length;
  const dataBytes = frames * 8;
  const header = Buffer.alloc(FLOAT_WAV_HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(FLOAT_WAV_HEADER_BYTES - 8 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(18, 16);
  header.writeUInt16LE(3, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 8, 28);
  header.writeUInt16LE(8, 32);
  header.writeUInt16LE(32, 34);
  header.writeUInt16LE(0, 36);
  header.write('fact', 38, 'ascii');
  header.writeUInt32LE(4, 42);
  header.writeUInt32LE(frames, 46);
  header.write('data', 50, 'ascii');
  header.writeUInt32LE(dataBytes, 54);
  yield header;
  for (let start = 0; start < frames; start += CHUNK_FRAMES) {
    const n = Math.min(CHUNK_FRAMES, frames - start);
    // Buffer.alloc is never pooled, so its bytes start 4-aligned for the float view.
    const chunk = Buffer.alloc(n * 8);
    if (LITTLE_ENDIAN_HOST) {
      const out = new Float32Array(chunk.buffer, chunk.byteOffset, n * 2);
      for (let i = 0, j = start; i < n; i++, j++) {
        out[2 * i] = left[j];
        out[2 * i + 1] = right[j];
      }
    } else {
      for (let i = 0, j = start; i < n; i++, j++) {
        chunk.writeFloatLE(left[j], 8 * i);
        chunk.writeFloatLE(right[j], 8 * i + 4);
      }
    }
    yield chunk;
  }
}

/** The whole stereo 32-bit float WAV file (see wavFloat32Chunks). */
export function encodeWavFloat32(left: Float32Array, right: Float32Array, sampleRate: number): Buffer {
  return Buffer.concat([...wavFloat32Chunks(left, right, sampleRate)]);
}
