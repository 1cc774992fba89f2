import type { Readable } from 'node:stream';

export interface StoredObject {
  size: number;
  modifiedAt: Date;
}

export interface ByteRange {
  /** first byte, inclusive */
  start: number;
  /** last byte, inclusive */
  end: number;
}

/** Raised when a write exceeds its byte limit; nothing is left under the key. */
export class StorageLimitError extends Error {
  constructor(readonly limit: number) {
    super(`the audio is larger than the ${limit}-byte limit`);
    this.name = 'StorageLimitError';
  }
}

/**
 * Where audio files live, by key (`<user>/<track>.<ext>`). Writes are atomic: a reader
 * sees the whole file under its key or nothing, whatever happens mid-write.
 */
export interface AudioStorage {
  /** Streams `body` in; resolves with the stored size. Rejects (leaving nothing) past `maxBytes`. */
  write(key: string, body: Readable | Buffer, options?: { maxBytes?: number }): Promise<StoredObject>;
  stat(key: string): Promise<StoredObject | null>;
  /** The whole object, or the inclusive byte range of it. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Whether the storage accepts writes (for readiness). */
  checkWritable(): Promise<void>;
}

export const AUDIO_STORAGE = Symbol('AUDIO_STORAGE');

/** Keys are `<segment>/<segment>.<ext>` made of safe characters only: no traversal. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/.test(key) || key.split('/').some((s) => s === '.' || s === '..')) {
    throw new Error(`unsafe storage key: ${JSON.stringify(key)}`);
  }
}
