import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describeAudioStorageContract } from '../src/storage/audio-storage.contract';
import { LocalDiskStorage } from '../src/storage/local-disk-storage';
import { S3Storage } from '../src/storage/s3-storage';
import { S3RVER_CREDENTIALS, startS3Server, type TestS3Server } from './support/s3-server';

/**
 * The storage contract, run by the local disk driver and by the S3 driver against a
 * real S3-protocol server (s3rver) — plus what only S3 has: presigned URLs, prefixes,
 * and errors that say "unavailable" rather than "missing".
 */
async function listFiles(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(root, full)));
    else files.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return files;
}

describeAudioStorageContract('local disk', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'texttune-storage-contract-'));
  return { storage: new LocalDiskStorage(root), listKeys: () => listFiles(root), cleanup: () => rm(root, { recursive: true, force: true }) };
});

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(() => s3?.close());

const makeS3 = (options: { prefix?: string; presignedUrls?: boolean; publicEndpoint?: string } = {}) => {
  const bucket = `contract-${randomBytes(4).toString('hex')}`;
  const storage = new S3Storage({ bucket, region: 'us-east-1', endpoint: s3.endpoint, credentials: S3RVER_CREDENTIALS, ...options });
  return { bucket, storage };
};

describeAudioStorageContract('S3 (s3rver)', async () => {
  const { bucket, storage } = makeS3();
  await s3.createBucket(bucket);
  return { storage, listKeys: () => s3.listKeys(bucket), cleanup: async () => storage.close() };
});

describeAudioStorageContract('S3 with a key prefix', async () => {
  const { bucket, storage } = makeS3({ prefix: 'tenants/acme/' });
  await s3.createBucket(bucket);
  return {
    storage,
    listKeys: async () => {
      const keys = await s3.listKeys(bucket);
      expect(keys.every((k) => k.startsWith('tenants/acme/'))).toBe(true);
      return keys.map((k) => k.slice('tenants/acme/'.length));
    },
    cleanup: async () => storage.close(),
  };
});

describe('S3 driver specifics', () => {
  it('uploads as one multipart upload of 5 MiB parts, and the object is whole', async () => {
    const { bucket, storage } = makeS3();
    await s3.createBucket(bucket);
    const sent: string[] = [];
    storage.client.middlewareStack.add((next, context) => (args) => (sent.push(context.commandName ?? '?'), next(args)), { step: 'initialize' });
    const data = randomBytes(12 * 1024 * 1024);
    await storage.write('u1/multi.wav', Readable.from([data.subarray(0, 7_000_000), data.subarray(7_000_000)]));
    expect(sent.filter((c) => c === 'UploadPartCommand')).toHaveLength(3);
    expect(sent).toContain('CreateMultipartUploadCommand');
    expect(sent).toContain('CompleteMultipartUploadCommand');
    expect(sent).not.toContain('PutObjectCommand');
    storage.close();
  });

  it('presigns short-lived GET URLs that serve the object, its ranges and the asked-for headers', async () => {
    const { bucket, storage } = makeS3({ presignedUrls: true });
    await s3.createBucket(bucket);
    const data = randomBytes(5000);
    await storage.write('u1/p.wav', data);
    const url = await storage.presign!('u1/p.wav', { expiresInSeconds: 60, contentType: 'audio/wav', disposition: 'attachment; filename="x.wav"' });
    expect(url.startsWith(`${s3.endpoint}/${bucket}/u1/p.wav?`)).toBe(true);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('60');

    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(whole.headers.get('content-disposition')).toBe('attachment; filename="x.wav"');
    expect(Buffer.from(await whole.arrayBuffer()).equals(data)).toBe(true);

    const part = await fetch(url, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/5000');
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(10, 20))).toBe(true);

    // (s3rver does not verify V4 query signatures; real S3 and MinIO do, so check what is signed.)
    const query = new URL(url).searchParams;
    expect(query.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(query.get('X-Amz-Credential')).toMatch(/^S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request$/);
    expect(query.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(query.get('response-content-disposition')).toBe('attachment; filename="x.wav"');
    storage.close();
  });

  it('presigns for the public endpoint when one is set', async () => {
    const { storage } = makeS3({ presignedUrls: true, publicEndpoint: 'https://media.example.com' });
    const url = await storage.presign!('u1/p.wav', { expiresInSeconds: 30 });
    expect(url).toMatch(/^https:\/\/media\.example\.com\/contract-[0-9a-f]+\/u1\/p\.wav\?/);
    storage.close();
  });

  it('has no presign without presigned URLs (S3_PROXY=true)', () => {
    const { storage } = makeS3({ presignedUrls: false });
    expect(storage.presign).toBeUndefined();
    storage.close();
  });

  it('reports a missing bucket or an unreachable server as unavailable, not missing', async () => {
    const { storage } = makeS3(); // bucket never created
    await expect(storage.checkWritable()).rejects.toMatchObject({ code: 'EUNAVAILABLE' });
    await expect(storage.write('u1/x.wav', Buffer.from('x'))).rejects.toMatchObject({ code: 'EUNAVAILABLE' });
    storage.close();

    const down = new S3Storage({ bucket: 'nowhere', region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: S3RVER_CREDENTIALS });
    await expect(down.read('u1/x.wav')).rejects.toMatchObject({ code: 'EUNAVAILABLE' });
    await expect(down.stat('u1/x.wav')).rejects.toMatchObject({ code: 'EUNAVAILABLE' });
    await expect(down.checkWritable()).rejects.toMatchObject({ code: 'EUNAVAILABLE' });
    down.close();
  });
});
