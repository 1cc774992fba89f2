/**
 * In-memory stand-in for Gradio's upload folder and cache (`/tmp/gradio/<hash>/<name>`).
 * Uploads and rendered outputs live here and are served by `GET <prefix>/file=<path>`;
 * like Gradio, paths the server did not create or receive are refused with 403.
 */
import { sha256Hex } from './wav-render';

export interface StoredFile {
  path: string;
  bytes: Buffer;
  mimeType: string;
  origName: string;
  sha256: string;
  origin: 'upload' | 'output';
  /** serve without Content-Length (chunked), as a file of unknown size */
  chunked: boolean;
}

export type StoredFileInfo = Omit<StoredFile, 'bytes'> & { size: number };

export const GRADIO_TMP = '/tmp/gradio';

/** Gradio's `strip_invalid_filename_characters`, near enough. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^\w.\- ]/g, '').trim();
  return cleaned || 'file';
}

export class FileStore {
  private readonly files = new Map<string, StoredFile>();

  put(bytes: Buffer, name: string, mimeType: string, origin: StoredFile['origin'], chunked = false): StoredFile {
    const sha256 = sha256Hex(bytes);
    const origName = safeFileName(name);
    const path = `${GRADIO_TMP}/${sha256.slice(0, 40)}/${origName}`;
    const file: StoredFile = { path, bytes, mimeType, origName, sha256, origin, chunked };
    this.files.set(path, file);
    return file;
  }

  get(path: string): StoredFile | undefined {
    return this.files.get(path);
  }

  list(): StoredFileInfo[] {
    return [...this.files.values()].map(({ bytes, ...rest }) => ({ ...rest, size: bytes.length }));
  }

  clear(): void {
    this.files.clear();
  }
}

export function mimeFromName(name: string): string {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const table: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mpeg', mp4: 'video/mp4', ogg: 'audio/ogg', flac: 'audio/flac', json: 'application/json', txt: 'text/plain' };
  return table[ext] ?? 'application/octet-stream';
}
