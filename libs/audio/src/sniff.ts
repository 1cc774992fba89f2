/** Audio container formats TextTune stores and serves. */
export type AudioFormat = 'wav' | 'mp3' | 'flac' | 'ogg';

export const AUDIO_MIME_TYPES: Record<AudioFormat, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
};

/** How many leading bytes {@link sniffAudioFormat} needs at most. */
export const SNIFF_BYTES = 4096;

const ascii = (b: Uint8Array, start: number, text: string) => text.split('').every((ch, i) => b[start + i] === ch.charCodeAt(0));

/** An MPEG audio frame header (layer I–III, valid bitrate and rate indices). */
function isMpegFrame(b: Uint8Array, i: number): boolean {
  if (i + 4 > b.length || b[i] !== 0xff || (b[i + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[i + 1] >> 3) & 3;
  const layer = (b[i + 1] >> 1) & 3;
  const bitrate = b[i + 2] >> 4;
  const rate = (b[i + 2] >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 0 && bitrate !== 15 && rate !== 3;
}

/**
 * Tells the audio format from the file's first bytes (magic numbers, not names or
 * headers someone claimed): RIFF/WAVE, MP3 (ID3 tag or a frame sync), FLAC, Ogg.
 * Returns null for anything else (HTML error pages, JSON, video…).
 */
export function sniffAudioFormat(head: Uint8Array): AudioFormat | null {
  if (head.length >= 12 && ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return 'wav';
  if (head.length >= 4 && ascii(head, 0, 'fLaC')) return 'flac';
  if (head.length >= 4 && ascii(head, 0, 'OggS')) return 'ogg';
  if (head.length >= 10 && ascii(head, 0, 'ID3')) {
    // ID3v2: a 10-byte header and a syncsafe size; the audio frames follow.
    const size = ((head[6] & 0x7f) << 21) | ((head[7] & 0x7f) << 14) | ((head[8] & 0x7f) << 7) | (head[9] & 0x7f);
    const first = 10 + size;
    return first >= head.length || isMpegFrame(head, first) ? 'mp3' : null;
  }
  // A raw MPEG stream: two consecutive plausible frame headers near the start.
  for (let i = 0; i + 4 <= Math.min(head.length, 2048); i++) {
    if (isMpegFrame(head, i)) return 'mp3';
  }
  return null;
}
