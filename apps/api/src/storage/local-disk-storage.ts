import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, read, readSync } from 'node:fs';
import { mkdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OpenFiles } from './open-files';
import { assertSafeKey, StorageLimitError, type AudioStorage, type ByteRange, type StoredObject } from './audio-storage';

/** The folder under the storage root where the health check writes its probe files. */
export const HEALTH_DIR = '.health';

/** How long a file's descriptor serves reads after its opening, unless told otherwise (see {@link OpenFiles}). */
export const OPEN_FILE_TTL_MS = 10_000;

/**
 * The largest read made on the event loop rather than the thread pool: a seek's range.
 * From the page cache it takes microseconds, less than handing it to a pool thread and
 * back; nginx reads this way too. Longer reads (whole files) stay on the pool.
 */
export const READ_ON_LOOP_MAX = 64 * 1024;

/** `fs.read`, done at once (for {@link READ_ON_LOOP_MAX}); the callback still comes on a later tick. */
function readOnLoop(fd: number, buffer: Buffer, offset: number, length: number, position: number | null, done: (error: Error | null, bytesRead?: number, buffer?: Buffer) => void): void {
  try {
    process.nextTick(done, null, readSync(fd, buffer, offset, length, position), buffer);
  } catch (error) {
    process.nextTick(done, error);
  }
}

/**
 * Audio on a local (or shared, mounted) disk under one directory. Each write goes to a
 * temporary file beside its target, is flushed to disk, then renamed into place, so a
 * crash never leaves a half file under a track's name. Reads share open descriptors
 * ({@link OpenFiles}).
 */
export class LocalDiskStorage implements AudioStorage {
  readonly root: string;
  private readonly openFiles: OpenFiles;

  constructor(root: string, options: { openFileTtlMs?: number } = {}) {
    this.root = path.resolve(root);
    this.openFiles = new OpenFiles(options.openFileTtlMs ?? OPEN_FILE_TTL_MS);
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
      this.openFiles.evict(target);
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
    const file = await this.openFiles.lend(this.pathOf(key)); // a missing file rejects here, before any byte is promised
    // Reads at explicit positions (start is always given), so readers can share the
    // descriptor; the stream "closes" it by handing it back, exactly once, at its end or
    // when destroyed (a client that went away).
    const small = range !== undefined && range.end - range.start < READ_ON_LOOP_MAX;
    return createReadStream('', {
      fd: file.fd,
      start: range?.start ?? 0,
      end: range?.end,
      fs: { read: small ? readOnLoop : read, close: (_fd: number, done: (error: null) => void) => (file.release(), done(null)) },
    });
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      await unlink(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    } finally {
      this.openFiles.evict(file); // after the unlink: a read meanwhile cannot leave a descriptor behind
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

  close(): void {
    this.openFiles.close();
  }
}
