import contentDisposition from 'content-disposition';

/** Characters no file system takes in a name, and controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f"*/:<>?\\|]+/g;

/**
 * `Content-Disposition: attachment` for a track: the title as the file name with the
 * real format's extension, in UTF-8 (`filename*`, RFC 5987/6266) so Korean titles
 * survive, and a readable ASCII `filename` for old clients.
 */
export function attachmentFor(title: string, extension: string, fallbackId: string): string {
  const clean = title.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim().slice(0, 120).trim() || 'TextTune track';
  const ascii = clean
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const fallback = /[A-Za-z0-9]{2}/.test(ascii) ? ascii : `texttune-${fallbackId.slice(0, 8)}`;
  return contentDisposition(`${clean}.${extension}`, { type: 'attachment', fallback: `${fallback}.${extension}` });
}
