/** Request and response shapes of `/v1/playlists` and shared playlists. */

import type { LibraryItem, TrackLoudness } from './tracks';

export const PLAYLIST_TITLE_MAX_LENGTH = 100;
export const PLAYLISTS_PER_USER_MAX = 200;
export const TRACKS_PER_PLAYLIST_MAX = 1000;

/** `POST /v1/playlists`, `PATCH /v1/playlists/:id` */
export interface PlaylistTitleRequest {
  title: string;
}

/** `GET /v1/playlists` item */
export interface PlaylistSummary {
  id: string;
  title: string;
  track_count: number;
  /** seconds, all tracks together */
  duration: number;
  created_at: string;
  updated_at: string;
}

export interface PlaylistListResponse {
  items: PlaylistSummary[];
}

/** `GET /v1/playlists/:id`: the playlist with its tracks in order (and every mutation's answer). */
export interface PlaylistResponse extends PlaylistSummary {
  tracks: LibraryItem[];
}

/** `POST /v1/playlists/:id/tracks`: `position` is the 0-based place to insert at (the end when absent). */
export interface AddPlaylistTrackRequest {
  trackId: string;
  position?: number;
}

/** `PUT /v1/playlists/:id/order`: every track of the playlist, once each, in the new order. */
export interface ReorderPlaylistRequest {
  trackIds: string[];
}

/** A track as a shared playlist shows it: nothing but what plays it. */
export interface SharedPlaylistTrack {
  id: string;
  title: string;
  prompt_raw: string;
  duration: number;
  /** Range-capable stream through the share link */
  audio_url: string;
  peaks_url: string | null;
  loudness: TrackLoudness | null;
  /** true for a seamless loop; absent when not */
  loop?: true;
  /** the audio as an attachment, when the owner allowed downloads; null otherwise */
  download_url: string | null;
}

/** `GET /v1/shared-playlists/:token` */
export interface SharedPlaylistResponse {
  title: string;
  tracks: SharedPlaylistTrack[];
  expires_at: string;
}

/** `POST /v1/playlists/:id/share`: a public, read-only, expiring link that plays the whole list. */
export interface PlaylistShareResponse {
  id: string;
  playlist_id: string;
  /** `GET` gives SharedPlaylistResponse */
  url: string;
  /** whether the public page offers the tracks as downloads */
  allow_download: boolean;
  expires_at: string;
  created_at: string;
}

export interface PlaylistShareListResponse {
  items: PlaylistShareResponse[];
}
