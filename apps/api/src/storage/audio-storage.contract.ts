import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { StorageLimitError, type AudioStorage } from './audio-storage';

export interface StorageUnderTest {
  storage: AudioStorage;
  /** Every stored key (objects a reader could see), to check that failures leave nothing. */
  listKeys(): Promise<string[]>;
  cleanup?(): Promise<void>;
}

/** A stream of `total` bytes in chunks of `chunk`, with a pause between chunks. */
function slowStream(data: Buffer, chunk: number, pauseMs = 0): Readable {
  return Readable.from(
    (async function* () {
      for (let offset = 0; offset < data.length; offset += chunk) {
        if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
        yield data.subarray(offset, offset + chunk);
      }
    })(),
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The behaviour every AudioStorage driver must have (the local disk and S3 drivers both
 * run it). `make` gives a fresh, empty store.
 */
export function describeAudioStorageContract(name: string, make: () => Promise<StorageUnderTest>): void {
  describe(`AudioStorage contract: ${name}`, () => {
    let under: StorageUnderTest;
    let storage: AudioStorage;
    beforeEach(async () => {
      under = await make();
      storage = under.storage;
    });
    afterEach(() => under.cleanup?.());

    const user = () => `u${randomBytes(4).toString('hex')}`;

    it('writes a buffer and reads it back whole, with its size and time', async () => {
      const key = `${user()}/a.wav`;
      const data = randomBytes(64 * 1024);
      const before = Date.now();
      const stored = await storage.write(key, data);
      expect(stored.size).toBe(data.length);
      expect(stored.modifiedAt.getTime()).toBeGreaterThan(before - 5000);
      expect(await storage.stat(key)).toEqual({ size: data.length, modifiedAt: stored.modifiedAt });
      expect((await readAll(await storage.read(key))).equals(data)).toBe(true);
    });

    it('streams a large body in (several multipart parts for S3) and reads it back', async () => {
      const key = `${user()}/big.wav`;
      const data = randomBytes(11 * 1024 * 1024 + 123);
      const stored = await storage.write(key, slowStream(data, 256 * 1024));
      expect(stored.size).toBe(data.length);
      expect((await readAll(await storage.read(key))).equals(data)).toBe(true);
    }, 60_000);

    it('reads inclusive byte ranges', async () => {
      const key = `${user()}/r.wav`;
      const data = randomBytes(200_000);
      await storage.write(key, data);
      expect((await readAll(await storage.read(key, { start: 0, end: 0 }))).equals(data.subarray(0, 1))).toBe(true);
      expect((await readAll(await storage.read(key, { start: 100, end: 4099 }))).equals(data.subarray(100, 4100))).toBe(true);
      expect((await readAll(await storage.read(key, { start: 199_990, end: 199_999 }))).equals(data.subarray(199_990))).toBe(true);
      // around 64 KiB, where the local disk stops reading on the event loop
      for (const length of [65_535, 65_536, 65_537, 150_001]) {
        expect([length, (await readAll(await storage.read(key, { start: 7, end: 7 + length - 1 }))).equals(data.subarray(7, 7 + length))]).toEqual([length, true]);
      }
    });

    it('reports a missing object: stat null, read rejects with ENOENT', async () => {
      const key = `${user()}/missing.wav`;
      expect(await storage.stat(key)).toBeNull();
      await expect(storage.read(key)).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(storage.read(key, { start: 0, end: 10 })).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('replaces an object on a second write', async () => {
      const key = `${user()}/twice.mp3`;
      await storage.write(key, Buffer.from('first version'));
      await storage.write(key, Readable.from([Buffer.from('second')]));
      expect((await readAll(await storage.read(key))).toString()).toBe('second');
      expect((await storage.stat(key))?.size).toBe(6);
    });

    it('deletes, and deleting a missing object is not an error', async () => {
      const key = `${user()}/gone.wav`;
      await storage.write(key, Buffer.from('bytes'));
      await storage.delete(key);
      expect(await storage.stat(key)).toBeNull();
      await expect(storage.delete(key)).resolves.toBeUndefined();
      expect(await under.listKeys()).not.toContain(key);
    });

    it('refuses a stream past maxBytes with StorageLimitError, leaving nothing (and an older version intact)', async () => {
      const fresh = `${user()}/limit.wav`;
      await expect(storage.write(fresh, slowStream(randomBytes(7 * 1024 * 1024), 512 * 1024), { maxBytes: 6 * 1024 * 1024 })).rejects.toBeInstanceOf(StorageLimitError);
      expect(await storage.stat(fresh)).toBeNull();

      const existing = `${user()}/keep.wav`;
      await storage.write(existing, Buffer.from('the good version'));
      await expect(storage.write(existing, slowStream(randomBytes(4096), 1024), { maxBytes: 3000 })).rejects.toThrow(StorageLimitError);
      await expect(storage.write(existing, randomBytes(4096), { maxBytes: 3000 })).rejects.toThrow(StorageLimitError);
      expect((await readAll(await storage.read(existing))).toString()).toBe('the good version');
      expect((await under.listKeys()).filter((k) => !k.endsWith('/keep.wav'))).toEqual([]);
    }, 60_000);

    it('accepts a body of exactly maxBytes', async () => {
      const key = `${user()}/exact.wav`;
      expect((await storage.write(key, slowStream(randomBytes(3000), 1000), { maxBytes: 3000 })).size).toBe(3000);
    });

    it('fails with the body’s own error when the source breaks, leaving nothing', async () => {
      const key = `${user()}/broken.wav`;
      const broken = Readable.from(
        (async function* () {
          yield randomBytes(1000);
          throw Object.assign(new Error('the engine download broke off'), { code: 'ECONNRESET' });
        })(),
      );
      await expect(storage.write(key, broken)).rejects.toThrow('the engine download broke off');
      expect(await storage.stat(key)).toBeNull();
      expect(await under.listKeys()).toEqual([]);
    });

    it('never shows a half-written object: a reader sees nothing until the write completes', async () => {
      const key = `${user()}/slow.wav`;
      const data = randomBytes(64 * 1024);
      const writing = storage.write(key, slowStream(data, 8 * 1024, 20));
      await new Promise((r) => setTimeout(r, 60));
      expect(await storage.stat(key)).toBeNull();
      await writing;
      expect((await storage.stat(key))?.size).toBe(data.length);
    });

    it('refuses unsafe keys', async () => {
      for (const key of ['../etc/passwd', 'a/../../b.wav', '/abs.wav', 'a//b.wav', 'a/./b.wav']) {
        await expect(storage.write(key, Buffer.from('x'))).rejects.toThrow(/unsafe storage key/);
        await expect(storage.read(key)).rejects.toThrow(/unsafe storage key/);
      }
    });

    it('checks that it is writable, leaving no probe behind', async () => {
      await expect(storage.checkWritable()).resolves.toBeUndefined();
      expect(await under.listKeys()).toEqual([]);
    });
  });
}
