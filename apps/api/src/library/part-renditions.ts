import { composeRequest, loadSoundFont, renderMidi, renderStems, stemFileName, wavFloat32ByteLength, wavFloat32Chunks, type RenderRequest } from '@texttune/composer';
import type { PartFormat, Quality } from '@texttune/contracts';
import { isDeepStrictEqual } from 'node:util';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { ApiError } from '../common/api-error';
import { OFFLINE_ENGINE_ID } from '../engines/local/offline-engine';
import type { TrackEntity } from '../tracks/track.entity';

/**
 * The parts of a track the offline composer made, rendered again from what the track
 * records (prompt, seed, duration, sample rate, quality): the composer is deterministic
 * per request, so the score and each part are the ones behind the stored mix.
 */

/** Whether the track's engine has parts to give: the offline composer's tracks (also when it stood in for a Space). */
export function hasParts(track: Pick<TrackEntity, 'engine' | 'format'>): boolean {
  return track.engine === OFFLINE_ENGINE_ID && track.format === 'wav';
}

/**
 * The request the track was rendered from. The prompt is the one the composer read:
 * the English one when it stood in for a Space that is sent English prompts
 * (ENGINE_FALLBACK), else the user's own.
 */
export function renderRequestOf(track: Pick<TrackEntity, 'promptRaw' | 'params' | 'sampleRate' | 'durationSeconds' | 'engineMeta'>): RenderRequest {
  const params = track.params;
  const number = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
  const english = (track.engineMeta.prompt_language as { english?: unknown } | undefined)?.english;
  return {
    prompt: typeof english === 'string' ? english : track.promptRaw,
    durationSeconds: number(params.duration, track.durationSeconds),
    sampleRate: number(params.samplerate, track.sampleRate),
    seed: number(params.seed, 0),
    quality: (typeof params.quality === 'string' ? params.quality : 'standard') as Quality,
    ...(params.loop === true ? { loop: true } : {}),
  };
}

/**
 * The request, after checking that composing it again gives the plan the track was
 * made with: a composer that changed since would give parts of another piece.
 */
export function reproducibleRequest(track: TrackEntity): RenderRequest {
  const request = renderRequestOf(track);
  const stored = track.engineMeta.plan;
  let plan: unknown;
  try {
    plan = composeRequest(request).plan;
  } catch (error) {
    throw new ApiError(400, 'format_unavailable', `This track's request cannot be composed again (${(error as Error).message}); download it as WAV or MP3.`);
  }
  if (stored !== undefined && !isDeepStrictEqual(JSON.parse(JSON.stringify(plan)), stored)) {
    throw new ApiError(400, 'format_unavailable', 'This track was made by another version of the offline composer, whose parts this one cannot reproduce; generate it again (same prompt and seed) to get its MIDI and stems.');
  }
  return request;
}

/** The file of a part format, as a stream of bytes: the MIDI file, or the ZIP of stems as each part is rendered. */
export function renderPartFile(track: TrackEntity, format: PartFormat, soundFontPath: string | undefined): Readable {
  const request = reproducibleRequest(track);
  if (format === 'midi') return Readable.from([renderMidi(request, track.title).midi]);
  return stemsZip(request, track.createdAt, soundFontPath);
}

/**
 * One 32-bit float WAV per part, stored without compression (float audio hardly
 * deflates, and storing lets the archive stream). Parts are rendered one at a time
 * and yield to the event loop every few tens of milliseconds (see renderMusic), so
 * the API keeps answering while a long track's stems are made. Each part's WAV streams
 * into the archive as it is encoded, and the next part is rendered once the archive has
 * taken it all, so memory holds one part's samples at a time, whatever the length.
 */
function stemsZip(request: RenderRequest, createdAt: Date, soundFontPath: string | undefined): Readable {
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  const fill = async () => {
    // The bank the offline engine plays (SOUNDFONT_PATH), so the parts are the mix's own.
    for await (const stem of renderStems(request, { soundFont: loadSoundFont(soundFontPath) })) {
      const wav = Readable.from(wavFloat32Chunks(stem.left, stem.right, stem.sampleRate), { objectMode: false });
      zip.addReadStream(wav, stemFileName(stem.index, stem.part.name), { compress: false, mtime: createdAt, size: wavFloat32ByteLength(stem.left.length) });
      // The archive failing (storage gave up) ends the wait too.
      await Promise.race([finished(wav), finished(output)]);
    }
    zip.end();
  };
  fill().catch((error: unknown) => output.destroy(error as Error));
  return output;
}
