import { close, constants, open } from 'node:fs';

interface Entry {
  fd: Promise<number>;
  openedAt: number;
  /** readers holding the descriptor */
  refs: number;
  /** out of the cache: closes when its last reader is done */
  retired: boolean;
}

/** A descriptor lent to one reader; `release` exactly once when done with it. */
export interface LentFile {
  fd: number;
  release(): void;
}

const openForReading = (file: string) =>
  new Promise<number>((resolve, reject) => open(file, constants.O_RDONLY, (error, fd) => (error ? reject(error) : resolve(fd))));
const closeQuietly = (fd: number) => close(fd, () => undefined);

/**
 * Read-only descriptors of stored files, shared by the reads of one file for `ttlMs`
 * after it was opened, as nginx's `open_file_cache` does. A player seeking through a
 * track makes a range request per seek; with this, they open the file once rather than
 * each paying an open and a close on the thread pool (two hand-offs to another thread
 * before the first byte, and an eighth of the process's CPU under range load).
 *
 * Readers read at explicit positions, so they can share a descriptor. Stored files never
 * change in place (a write renames a new file over its key), writes and deletes through
 * the storage {@link evict} their file, and no descriptor is lent past `ttlMs` after its
 * opening, so a file changed behind the storage's back is seen within that time. A
 * descriptor closes when its last reader is done once it is expired or evicted; at most
 * `max` idle ones stay open. `ttlMs` 0 opens and closes per read.
 */
export class OpenFiles {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly ttlMs: number,
    private readonly max = 256,
  ) {
    if (ttlMs > 0) this.sweeper = setInterval(() => this.sweep(), ttlMs).unref();
  }

  /** A descriptor of `file` (rejects as `open` does: ENOENT when it is missing). */
  async lend(file: string): Promise<LentFile> {
    const now = Date.now();
    let entry = this.entries.get(file);
    if (!entry || now - entry.openedAt >= this.ttlMs) {
      if (entry) this.retire(file, entry);
      entry = { fd: openForReading(file), openedAt: now, refs: 0, retired: false };
      this.entries.set(file, entry);
    }
    const lent = entry;
    lent.refs++;
    this.trim();
    let fd: number;
    try {
      fd = await lent.fd;
    } catch (error) {
      lent.refs--;
      if (this.entries.get(file) === lent) this.entries.delete(file); // a failed open is not remembered
      throw error;
    }
    let released = false;
    return {
      fd,
      release: () => {
        if (released) return;
        released = true;
        if (--lent.refs > 0) return;
        if (lent.retired) closeQuietly(fd);
        else if (Date.now() - lent.openedAt >= this.ttlMs) this.retire(file, lent);
      },
    };
  }

  /** Forgets `file`'s descriptor: the next read opens the file again. */
  evict(file: string): void {
    const entry = this.entries.get(file);
    if (entry) this.retire(file, entry);
  }

  /** Closes every idle descriptor and stops the sweeper (the rest close as their readers finish). */
  close(): void {
    clearInterval(this.sweeper);
    for (const [file, entry] of this.entries) this.retire(file, entry);
  }

  /** How many files have a descriptor in the cache. */
  get size(): number {
    return this.entries.size;
  }

  private retire(file: string, entry: Entry): void {
    if (this.entries.get(file) === entry) this.entries.delete(file);
    if (entry.retired) return;
    entry.retired = true;
    if (entry.refs === 0) entry.fd.then(closeQuietly, () => undefined);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [file, entry] of this.entries) if (now - entry.openedAt >= this.ttlMs) this.retire(file, entry);
  }

  /** Over `max`: closes the oldest idle descriptors (the map keeps opening order). */
  private trim(): void {
    if (this.entries.size <= this.max) return;
    for (const [file, entry] of this.entries) {
      if (this.entries.size <= this.max) return;
      if (entry.refs === 0) this.retire(file, entry);
    }
  }
}
