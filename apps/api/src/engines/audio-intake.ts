import { AUDIO_MIME_TYPES, AudioProbe, readWavInfo, SNIFF_BYTES, sniffAudioFormat, type AudioFormat, type AudioProbeResult, type ProbedAudio } from '@texttune/audio';
import { Readable, Transform, type TransformCallback } from 'node:stream';

export interface AudioHead {
  format: AudioFormat;
  mimeType: string;
  /** read from the bytes when the format tells them (WAV); null otherwise */
  sampleRate: number | null;
  channels: number | null;
  durationSeconds: number | null;
  /** the whole audio again, head included, to be stored */
  body: Readable;
}

/** Reads up to `n` leading bytes of a stream and gives back a stream of the whole. */
async function peek(source: Readable, n: number): Promise<{ head: Buffer; whole: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  while (size < n) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    size += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest() {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head: head.subarray(0, n), whole: Readable.from(rest(), { objectMode: false }) };
}

/**
 * Identifies engine output by its bytes (never by a name or a claimed Content-Type):
 * returns its format and, for WAV, the real rate, channels and duration. Null when the
 * bytes are not audio.
 */
export async function inspectAudio(body: Buffer | Readable): Promise<AudioHead | null> {
  const { head, whole } = Buffer.isBuffer(body) ? { head: body.subarray(0, SNIFF_BYTES), whole: Readable.from([body]) } : await peek(body, SNIFF_BYTES);
  const format = sniffAudioFormat(head);
  if (!format) {
    whole.destroy();
    return null;
  }
  const wav = format === 'wav' ? readWavInfo(head) : null;
  return {
    format,
    mimeType: AUDIO_MIME_TYPES[format],
    sampleRate: wav?.sampleRate ?? null,
    channels: wav?.channels ?? null,
    durationSeconds: wav?.durationSeconds ?? null,
    body: whole,
  };
}

/**
 * Passes audio through unchanged while decoding its container ({@link AudioProbe}): the
 * stream fails with `refusal(reason)` as soon as the bytes do not decode, or at their
 * end; after a clean end `audio` holds what the data really is (format, rate, duration).
 */
export class DecodedAudioCheck extends Transform {
  private readonly probe = new AudioProbe();
  audio: ProbedAudio | null = null;

  constructor(private readonly refusal: (reason: string) => Error) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let verdict: AudioProbeResult | null;
    try {
      verdict = this.probe.push(chunk);
    } catch (error) {
      return done(error as Error); // a fault of the decoder fails this stream, never the process
    }
    if (verdict && !verdict.ok) return done(this.refusal(verdict.reason));
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    let verdict: AudioProbeResult;
    try {
      verdict = this.probe.end();
    } catch (error) {
      return done(error as Error);
    }
    if (!verdict.ok) return done(this.refusal(verdict.reason));
    this.audio = verdict;
    done();
  }
}
