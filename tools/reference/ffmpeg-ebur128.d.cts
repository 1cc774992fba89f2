/** What ffmpeg's EBU R128 meter (`-af ebur128=peak=true`) reads in a file. */
export interface Ebur128Measurement {
  /** integrated loudness, LUFS (−70 for silence) */
  integratedLufs: number;
  /** loudness range (EBU Tech 3342), LU */
  loudnessRangeLu: number;
  /** the largest true peak over the channels, dBTP (−Infinity for digital silence) */
  truePeakDbtp: number;
}

/** A path to a file ffmpeg reads (WAV, MP3, FLAC, Ogg, …), or the file's bytes. */
export type Ebur128Input = string | Uint8Array;

/** Measures `input` with ffmpeg; rejects with a clear error when ffmpeg is missing or fails. */
export function measureEbur128(input: Ebur128Input): Promise<Ebur128Measurement>;

/** measureEbur128, waiting for ffmpeg. */
export function measureEbur128Sync(input: Ebur128Input): Ebur128Measurement;

/** Throws a clear error when ffmpeg is not installed. */
export function requireFfmpeg(): void;
