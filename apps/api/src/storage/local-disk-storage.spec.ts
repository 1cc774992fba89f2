import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { HEALTH_DIR, LocalDiskStorage } from './local-disk-storage';

const run = promisify(execFile);

/** The audio backup of docs/deploy.md ("Back up and restore"), to stdout instead of a file. */
const BACKUP_TAR_ARGS = (root: string) => ['czf', '-', '--exclude=./.health', '--exclude=*.partial-*', '-C', root, '.'];

describe('LocalDiskStorage health probe', () => {
  let root: string;
  let storage: LocalDiskStorage;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'texttune-local-disk-'));
    storage = new LocalDiskStorage(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes its probes under .health/, leaving the root untouched once that folder exists', async () => {
    await storage.write('user-1/track.wav', randomBytes(1000));
    await storage.checkWritable();
    const before = { entries: (await readdir(root)).sort(), mtimeMs: (await stat(root)).mtimeMs };
    for (let i = 0; i < 20; i++) await storage.checkWritable();
    expect({ entries: (await readdir(root)).sort(), mtimeMs: (await stat(root)).mtimeMs }).toEqual(before);
    expect(before.entries).toEqual([HEALTH_DIR, 'user-1']);
    expect(await readdir(path.join(root, HEALTH_DIR))).toEqual([]);
  });

  it('lets a tar of the volume that leaves out .health/ finish cleanly (exit 0) while probes run without pause', async () => {
    for (let i = 0; i < 40; i++) await storage.write(`user-${i % 4}/take-${i}.wav`, randomBytes(64 * 1024));
    await storage.checkWritable();
    let probing = true;
    let probes = 0;
    const prober = (async () => {
      while (probing) {
        await storage.checkWritable();
        probes++;
      }
    })();
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        // Rejects (exit 1, "file changed as we read it") if anything tar reads changes under it.
        const { stderr } = await run('tar', BACKUP_TAR_ARGS(root), { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
        expect(stderr.toString()).toBe('');
      }
    } finally {
      probing = false;
      await prober;
    }
    expect(probes).toBeGreaterThan(10);
    const { stdout } = await run('sh', ['-c', `tar ${BACKUP_TAR_ARGS(root).map((a) => `'${a}'`).join(' ')} | tar tzf -`]);
    const members = stdout.split('\n').filter(Boolean);
    expect(members).toContain('./user-3/take-39.wav');
    expect(members.filter((m) => m.includes(HEALTH_DIR) || m.includes('probe'))).toEqual([]);
  });
});
