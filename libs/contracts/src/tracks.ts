/** Request and response shapes of the library, tracks, streaming, downloads and share links. */

import type { GenerationParams } from './generations';

/** Formats a track can be streamed or downloaded in (`?format=`). The original is WAV. */
export const AUDIO_FORMATS = ['wav', 'mp3'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];
/**
 * The parts of a track the offline composer made (`GET /v1/download/:id?format=`):
 * `midi`, the score as a Standard MIDI File; `stems`, a ZIP of one WAV per part.
 */
export const PART_FORMATS = ['midi', 'stems'] as const;
export type PartFormat = (typeof PART_FORMATS)[number];
/** Everything a track can be downloaded as. */
export const DOWNLOAD_FORMATS = [...AUDIO_FORMATS, ...PART_FORMATS] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

export const LIBRARY_PAGE_MAX = 100;
export const LIBRARY_PAGE_DEFAULT = 20;
export const TRACK_TITLE_MAX_LENGTH = 200;
/** Waveform peaks: this many min/max pairs per track, each in -1…1. */
export const PEAKS_LENGTH = 800;
export const SHARE_MAX_HOURS = 24 * 90;
export const SHARE_DEFAULT_HOURS = 24 * 7;

/**
 * A take's loudness as measured from its stored audio (ITU-R BS.1770-4 / EBU R128),
 * what a player needs to play every track at the same perceived level.
 */
export interface TrackLoudness {
  /** programme loudness, gated (LUFS) */
  integrated_lufs: number;
  /** largest peak of the 4× oversampled signal (dBTP) */
  true_peak_dbtp: number;
  /** loudness range per EBU Tech 3342 (LU) */
  range_lu: number;
}

/** One track in `GET /v1/library` (the original shape, extended). */
export interface LibraryItem {
  id: string;
  title: string;
  prompt_raw: string;
  /** the interpreted prompt, e.g. "lo-fi hip hop · 82 bpm · A minor · piano, bass, drums · calm" */
  prompt_expanded: string | null;
  /** seconds */
  duration: number;
  samplerate: number;
  /** the stored original's format */
  format: AudioFormat;
  engine: string;
  created_at: string;
  /** `GET`/`HEAD` with Range support; `?format=mp3` for the MP3 rendition */
  audio_url: string;
  /** the same audio as an attachment with a readable filename */
  download_url: string;
  /** `GET` gives the waveform as PeaksResponse (cacheable); null when the track has none */
  peaks_url: string | null;
  job_id: string | null;
  take_index: number;
  /** null until measured (tracks made before loudness was measured are measured in the background), or when the audio could not be decoded or is silent */
  loudness: TrackLoudness | null;
  /** true for a seamless loop (its end flows into its start); absent when not */
  loop?: true;
}

/** `GET /v1/library?limit=&cursor=&q=` */
export interface LibraryResponse {
  items: LibraryItem[];
  next_cursor: string | null;
}

export interface TrackRendition {
  format: DownloadFormat;
  mime_type: string;
  /** bytes, or null when the rendition is made on first request and not made yet */
  size: number | null;
  /** where to play it (`/v1/stream/…`); for `midi` and `stems`, the download URL */
  url: string;
  download_url: string;
}

/** `GET /v1/tracks/:id` */
export interface TrackResponse extends LibraryItem {
  /** the request as recorded (seed, quality, sampling params) and any clamping the engine did */
  params: Partial<GenerationParams> & Record<string, unknown>;
  /** what the engine reported: plan, endpoint, timings… */
  engine_meta: Record<string, unknown>;
  channels: number;
  size_bytes: number;
  renditions: TrackRendition[];
  /** waveform: PEAKS_LENGTH [min, max] pairs flattened (min0, max0, min1, max1, …), each in -1…1; null when unknown */
  peaks: number[] | null;
  /** the other takes of the same job, in take order (this one included) */
  sibling_ids: string[];
}

/** `GET /v1/tracks/:id/peaks` (and a share link's `/peaks`) */
export interface PeaksResponse {
  /** PEAKS_LENGTH [min, max] pairs flattened (min0, max0, min1, max1, …), each in -1…1 */
  peaks: number[];
}

/** `PATCH /v1/tracks/:id` */
export interface RenameTrackRequest {
  title: string;
}

/** `POST /v1/tracks/:id/regenerate`: the same request again, with the same seed, a new one, or the given one. */
export interface RegenerateRequest {
  seed?: 'same' | 'new' | number;
}

/** `POST /v1/tracks/:id/share` */
export interface CreateShareRequest {
  /** 1…SHARE_MAX_HOURS; SHARE_DEFAULT_HOURS when absent */
  expiresInHours?: number;
  /** whether the public page offers the audio as a download; false when absent */
  allowDownload?: boolean;
}

/** A share link: public, read-only, expiring. */
export interface ShareResponse {
  id: string;
  track_id: string;
  /** the public page's API form: `GET` gives the shared track's metadata */
  url: string;
  /** the public audio stream (Range supported) */
  audio_url: string;
  /** whether the public page offers the audio as a download */
  allow_download: boolean;
  expires_at: string;
  created_at: string;
}

export interface ShareListResponse {
  items: ShareResponse[];
}

/** `GET /v1/shared/:token`: what a share link shows, and nothing else of the owner. */
export interface SharedTrackResponse {
  title: string;
  prompt_raw: string;
  prompt_expanded: string | null;
  duration: number;
  samplerate: number;
  format: AudioFormat;
  created_at: string;
  audio_url: string;
  peaks: number[] | null;
  loudness: TrackLoudness | null;
  expires_at: string;
  /** true for a seamless loop; absent when not */
  loop?: true;
  /** the audio as an attachment, when the owner allowed downloads; null otherwise */
  download_url: string | null;
}
