import type { Readable } from 'node:stream';

export interface StoredObject {
  size: number;
  modifiedAt: Date;
}

/** What a presigned URL answers with, whatever the object's stored metadata says. */
export interface PresignOptions {
  /** how long the URL works */
  expiresInSeconds: number;
  /** `Content-Type` of the answer */
  contentType?: string;
  /** `Content-Disposition` of the answer (downloads) */
  disposition?: string;
  /** `Cache-Control` of the answer */
  cacheControl?: string;
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
  /**
   * A short-lived URL that serves the object directly from the store (GET, with Range),
   * so the API can redirect instead of proxying the bytes. Only drivers that can offer
   * one (S3 without S3_PROXY) have it.
   */
  presign?(key: string, options: PresignOptions): Promise<string>;
  /** Lets go of connections and open files (at shutdown). */
  close?(): void;
}

export const AUDIO_STORAGE = Symbol('AUDIO_STORAGE');

/** Keys are `<segment>/<segment>.<ext>` made of safe characters only: no traversal. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/.test(key) || key.split('/').some((s) => s === '.' || s === '..')) {
    throw new Error(`unsafe storage key: ${JSON.stringify(key)}`);
  }
}
