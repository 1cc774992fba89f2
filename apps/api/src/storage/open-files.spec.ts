import { mkdtemp, readdir, readlink, rename, rm, writeFile } from 'node:fs/promises';
import { read } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpenFiles } from './open-files';

/** The descriptors this process holds on `file`. */
async function descriptorsOf(file: string): Promise<number> {
  const names = await readdir('/proc/self/fd');
  const targets = await Promise.all(names.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target === file || target === `${file} (deleted)`).length;
}

const readAt = (fd: number, position: number, length: number) =>
  new Promise<string>((resolve, reject) => {
    const buffer = Buffer.alloc(length);
    read(fd, buffer, 0, length, position, (error, bytes) => (error ? reject(error) : resolve(buffer.subarray(0, bytes).toString())));
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('OpenFiles', () => {
  let dir: string;
  let file: string;
  let files: OpenFiles;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'open-files-'));
    file = path.join(dir, 'a.wav');
    await writeFile(file, 'first version');
  });
  afterEach(async () => {
    files.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lends one descriptor to concurrent and successive readers, and closes it once expired and unused', async () => {
    files = new OpenFiles(200);
    const [a, b] = await Promise.all([files.lend(file), files.lend(file)]);
    expect(a.fd).toBe(b.fd);
    expect(await readAt(a.fd, 6, 7)).toBe('version');
    a.release();
    b.release();
    const c = await files.lend(file);
    expect(c.fd).toBe(a.fd);
    expect(await descriptorsOf(file)).toBe(1);
    c.release();
    c.release(); // a second release is ignored
    await sleep(500); // past the time to live: the sweeper closed it
    expect(await descriptorsOf(file)).toBe(0);
    expect(files.size).toBe(0);
  });

  it('keeps an expired descriptor open for the reader still using it, and opens anew for the next', async () => {
    files = new OpenFiles(50);
    const old = await files.lend(file);
    await sleep(80);
    const fresh = await files.lend(file);
    expect(fresh.fd).not.toBe(old.fd);
    expect(await readAt(old.fd, 0, 5)).toBe('first'); // still readable
    expect(await descriptorsOf(file)).toBe(2);
    old.release();
    await sleep(10);
    expect(await descriptorsOf(file)).toBe(1);
    fresh.release();
  });

  it('opens and closes per read with a time to live of 0', async () => {
    files = new OpenFiles(0);
    const a = await files.lend(file);
    a.release();
    await sleep(10);
    expect(await descriptorsOf(file)).toBe(0);
  });

  it('sees a file written over its name after an eviction, and closes the old one when its reader is done', async () => {
    files = new OpenFiles(60_000);
    const old = await files.lend(file);
    await writeFile(`${file}.new`, 'second version');
    await rename(`${file}.new`, file);
    files.evict(file);
    const fresh = await files.lend(file);
    expect(await readAt(fresh.fd, 0, 6)).toBe('second');
    expect(await readAt(old.fd, 0, 5)).toBe('first');
    old.release();
    fresh.release();
    await sleep(10);
    expect(await descriptorsOf(file)).toBe(1); // the fresh one, cached
  });

  it('rejects a missing file as open does, without remembering the failure', async () => {
    files = new OpenFiles(60_000);
    const missing = path.join(dir, 'missing.wav');
    await expect(Promise.all([files.lend(missing), files.lend(missing)])).rejects.toMatchObject({ code: 'ENOENT' });
    expect(files.size).toBe(0);
    await writeFile(missing, 'now here');
    const lent = await files.lend(missing);
    expect(await readAt(lent.fd, 0, 3)).toBe('now');
    lent.release();
  });

  it('keeps at most max idle descriptors, closing the oldest, but never one in use', async () => {
    files = new OpenFiles(60_000, 2);
    const paths = await Promise.all(
      ['b', 'c', 'd'].map(async (name) => {
        const p = path.join(dir, `${name}.wav`);
        await writeFile(p, name);
        return p;
      }),
    );
    const busy = await files.lend(file);
    for (const p of paths) (await files.lend(p)).release();
    await sleep(10);
    expect(files.size).toBe(2);
    expect(await descriptorsOf(file)).toBe(1); // in use: kept
    expect(await descriptorsOf(paths[0])).toBe(0); // the oldest idle one: closed
    expect(await descriptorsOf(paths[2])).toBe(1);
    busy.release();
  });

  it('closes idle descriptors on close()', async () => {
    files = new OpenFiles(60_000);
    (await files.lend(file)).release();
    files.close();
    await sleep(10);
    expect(await descriptorsOf(file)).toBe(0);
  });
});
