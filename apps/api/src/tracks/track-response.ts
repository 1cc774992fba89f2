import { DOWNLOAD_FORMATS, type AudioFormat, type DownloadFormat, type LibraryItem, type PeaksResponse, type SharedTrackResponse, type TrackLoudness, type TrackRendition, type TrackResponse } from '@texttune/contracts';
import { ApiError } from '../common/api-error';
import type { TrackEntity } from './track.entity';
import { peaksToNumbers } from './waveform';
import { isPartFormat, MIME_TYPES } from './download-formats';

const formatQuery = (track: TrackEntity, format: DownloadFormat) => (format === track.format ? '' : `?format=${format}`);

/** The track's waveform as the API's numbers, or null when it has none. */
export function peaksOf(track: TrackEntity): number[] | null {
  return track.peaks?.length ? peaksToNumbers(track.peaks) : null;
}

/** `GET …/peaks` (a track's, a shared track's, a shared playlist track's): 404 when there is none. */
export function toPeaksResponse(track: TrackEntity): PeaksResponse {
  const peaks = peaksOf(track);
  if (!peaks) throw new ApiError(404, 'not_found', 'This track has no waveform: its audio format could not be read for one.');
  return { peaks };
}

/** Hundredths: what a meter shows (the columns are single precision). */
const hundredths = (value: number) => Math.round(value * 100) / 100;

/** The track's measured loudness, or null when it has none (not measured yet, silent, or undecodable). */
export function toLoudness(track: Pick<TrackEntity, 'loudnessIntegratedLufs' | 'loudnessTruePeakDbtp' | 'loudnessRangeLu'>): TrackLoudness | null {
  const { loudnessIntegratedLufs: integrated, loudnessTruePeakDbtp: truePeak, loudnessRangeLu: range } = track;
  if (integrated === null || integrated === undefined || truePeak === null || truePeak === undefined || range === null || range === undefined) return null;
  return { integrated_lufs: hundredths(integrated), true_peak_dbtp: hundredths(truePeak), range_lu: hundredths(range) };
}

export function toLibraryItem(track: TrackEntity): LibraryItem {
  return {
    id: track.id,
    title: track.title,
    prompt_raw: track.promptRaw,
    prompt_expanded: track.promptExpanded,
    duration: track.durationSeconds,
    samplerate: track.sampleRate,
    format: track.format as AudioFormat,
    engine: track.engine,
    created_at: track.createdAt.toISOString(),
    audio_url: `/v1/stream/${track.id}`,
    download_url: `/v1/download/${track.id}`,
    peaks_url: track.peaks ? `/v1/tracks/${track.id}/peaks` : null,
    job_id: track.generationId,
    take_index: track.takeIndex,
    loudness: toLoudness(track),
    ...loopFlag(track),
  };
}

/** `loop: true` for a seamless loop, nothing otherwise (most tracks are not loops). */
export function loopFlag(track: TrackEntity): { loop?: true } {
  return track.params?.['loop'] === true ? { loop: true } : {};
}

export function toTrackResponse(track: TrackEntity, siblingIds: string[], canServe: (format: DownloadFormat) => boolean): TrackResponse {
  const renditions: TrackRendition[] = DOWNLOAD_FORMATS.filter(canServe).map((format) => {
    const download = `/v1/download/${track.id}${formatQuery(track, format)}`;
    return {
      format,
      mime_type: format === track.format ? track.mimeType : MIME_TYPES[format],
      size: format === track.format ? track.sizeBytes : (track.renditions[format]?.size ?? null),
      // The parts are files to download, not audio to play.
      url: isPartFormat(format) ? download : `/v1/stream/${track.id}${formatQuery(track, format)}`,
      download_url: download,
    };
  });
  return {
    ...toLibraryItem(track),
    params: track.params,
    engine_meta: track.engineMeta,
    channels: track.channels,
    size_bytes: track.sizeBytes,
    renditions,
    peaks: peaksOf(track),
    sibling_ids: siblingIds,
  };
}

export function toSharedTrack(track: TrackEntity, token: string, expiresAt: Date, allowDownload = false): SharedTrackResponse {
  return {
    title: track.title,
    prompt_raw: track.promptRaw,
    prompt_expanded: track.promptExpanded,
    duration: track.durationSeconds,
    samplerate: track.sampleRate,
    format: track.format as AudioFormat,
    created_at: track.createdAt.toISOString(),
    audio_url: `/v1/shared/${token}/stream`,
    peaks: peaksOf(track),
    loudness: toLoudness(track),
    expires_at: expiresAt.toISOString(),
    ...loopFlag(track),
    download_url: allowDownload ? `/v1/shared/${token}/download` : null,
  };
}
