import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { createMp3Encoder } from 'wasm-media-encoders';
import type { DecodedAudio } from '../tracks/waveform';

/** About a second of audio per encoder call; the event loop gets a turn between calls. */
const FRAMES_PER_CALL = 1152 * 38;

/**
 * Encodes decoded audio as VBR MP3 (LAME, quality V2 ≈ 190 kb/s) with the
 * `wasm-media-encoders` build of LAME. Yields the MP3 bytes as they are made, so a
 * rendition streams into storage without holding the whole file, and a long track
 * never blocks the server for more than a few milliseconds at a time. Stereo keeps
 * the first two channels; mono stays mono.
 */
export async function* encodeMp3(audio: DecodedAudio): AsyncGenerator<Buffer> {
  const encoder = await createMp3Encoder();
  const channels = audio.channels.slice(0, 2);
  if (!channels.length) throw new Error('no audio channels to encode');
  encoder.configure({ sampleRate: audio.sampleRate, channels: channels.length as 1 | 2, vbrQuality: 2 });
  const frames = channels[0].length;
  for (let start = 0; start < frames; start += FRAMES_PER_CALL) {
    const out = encoder.encode(channels.map((channel) => channel.subarray(start, start + FRAMES_PER_CALL)));
    // The encoder reuses its output buffer: copy before the next call.
    if (out.length) yield Buffer.from(out);
    await yieldToEventLoop();
  }
  const last = encoder.finalize();
  if (last.length) yield Buffer.from(last);
}

/** Sample rates MPEG audio can carry. */
export const MP3_SAMPLE_RATES: readonly number[] = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];
