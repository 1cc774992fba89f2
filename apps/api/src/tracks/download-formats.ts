import { PART_FORMATS, type DownloadFormat, type PartFormat } from '@texttune/contracts';

/** The media type of each download format. */
export const MIME_TYPES: Record<DownloadFormat, string> = { wav: 'audio/wav', mp3: 'audio/mpeg', midi: 'audio/midi', stems: 'application/zip' };
/** What each format's file is named with (the stems' archive says what it holds). */
export const FILE_EXTENSIONS: Record<DownloadFormat, string> = { wav: 'wav', mp3: 'mp3', midi: 'mid', stems: 'stems.zip' };

export const isPartFormat = (format: DownloadFormat): format is PartFormat => (PART_FORMATS as readonly string[]).includes(format);
