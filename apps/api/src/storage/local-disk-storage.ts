import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, StorageLimitError, type AudioStorage, type ByteRange, type StoredObject } from './audio-storage';

/** The folder under the storage root where the health check writes its probe files. */
export const HEALTH_DIR = '.health';

/**
 * Audio on a local (or shared, mounted) disk under one directory. Each write goes to a
 * temporary file beside its target, is flushed to disk, then renamed into place, so a
 * crash never leaves a half file under a track's name.
 */
export class LocalDiskStorage implements AudioStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private pathOf(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, key);
  }

  async write(key: string, body: Readable | Buffer, options: { maxBytes?: number } = {}): Promise<StoredObject> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.partial-${randomBytes(6).toString('hex')}`;
    let size = 0;
    const limit = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        done(size > limit ? new StorageLimitError(limit) : null, chunk);
      },
    });
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, counter, createWriteStream(temp, { flush: true }));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    const info = await stat(target);
    return { size: info.size, modifiedAt: info.mtime };
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { size: info.size, modifiedAt: info.mtime } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const file = await open(this.pathOf(key), 'r'); // a missing file rejects here, before any byte is promised
    // The stream closes the file at its end, or when destroyed (a client that went away).
    return file.createReadStream({ start: range?.start ?? 0, end: range?.end });
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      await unlink(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  /**
   * Writes and deletes a probe file in {@link HEALTH_DIR}, never in the root itself: a
   * backup of the root (`tar --exclude=./.health`) then sees no file come and go while
   * the health checks run.
   */
  async checkWritable(): Promise<void> {
    const dir = path.join(this.root, HEALTH_DIR);
    await mkdir(dir, { recursive: true });
    const probe = path.join(dir, `probe-${randomBytes(4).toString('hex')}`);
    await writeFile(probe, 'ok');
    await rm(probe, { force: true });
  }
}
