import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { randomBytes } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import { assertSafeKey, StorageLimitError, type AudioStorage, type ByteRange, type PresignOptions, type StoredObject } from './audio-storage';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** custom endpoint (MinIO, Ceph, R2, s3rver…); absent: AWS S3 */
  endpoint?: string;
  /** endpoint that presigned URLs are made for (what browsers reach); default `endpoint` */
  publicEndpoint?: string;
  /** prepended to every key, e.g. `texttune/` */
  prefix?: string;
  /** absent: the SDK's default credential chain (environment, profile, instance role) */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle?: boolean;
  /** offer presigned URLs (false with S3_PROXY=true: the API streams the bytes itself) */
  presignedUrls?: boolean;
  /** multipart part size in bytes (S3's minimum, 5 MiB, by default) */
  partSize?: number;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mpeg', flac: 'audio/flac', ogg: 'audio/ogg', m4a: 'audio/mp4' };

interface S3ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const isNotFound = (error: unknown) => {
  const e = error as S3ErrorLike;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || (e?.$metadata?.httpStatusCode === 404 && e?.name !== 'NoSuchBucket');
};

/**
 * A storage failure as the rest of the app understands storage failures (Node's errno
 * style `code`): a missing object is `ENOENT` (404 audio_missing), anything else
 * (bucket unreachable, denied, throttled) `EUNAVAILABLE` (503 storage_unavailable).
 */
function storageError(error: unknown, what: string): NodeJS.ErrnoException {
  const e = error as S3ErrorLike;
  const detail = e?.name && e.name !== 'Error' ? `${e.name}: ${e.message ?? ''}` : (e?.message ?? String(error));
  const wrapped: NodeJS.ErrnoException = new Error(`S3 ${what}: ${detail}`, { cause: error });
  wrapped.code = isNotFound(error) ? 'ENOENT' : 'EUNAVAILABLE';
  return wrapped;
}

/** Passes on bytes `start`…`end` (inclusive) of what flows through, then ends. */
function sliceBytes({ start, end }: ByteRange): Transform {
  let offset = 0;
  let ended = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (ended) return done(); // the rest of the object drains away
      const from = Math.max(0, start - offset);
      const to = Math.min(chunk.length, end + 1 - offset);
      offset += chunk.length;
      if (to > from) this.push(chunk.subarray(from, to));
      if (offset > end) {
        ended = true;
        this.push(null);
      }
      done();
    },
  });
}

/**
 * Audio in an S3-compatible bucket (AWS SDK v3). Writes stream in as multipart uploads
 * (one PUT when the object is smaller than a part), so an object appears whole under
 * its key or not at all; a write past its limit is aborted and leaves nothing. Reads
 * use `Range`; with `presignedUrls` the API redirects clients to short-lived URLs.
 */
export class S3Storage implements AudioStorage {
  readonly client: S3Client;
  private readonly signer: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;
  /** Present only when the driver may hand out URLs (not with S3_PROXY=true). */
  readonly presign?: (key: string, options: PresignOptions) => Promise<string>;

  constructor(options: S3StorageOptions) {
    const base: S3ClientConfig = {
      region: options.region,
      credentials: options.credentials,
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
      // S3-compatible servers (MinIO releases, Ceph, s3rver) do not all take the
      // checksum trailers the SDK adds by default; S3 does not need them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 5000, requestTimeout: 300_000, httpAgent: { keepAlive: true, maxSockets: 256 }, httpsAgent: { keepAlive: true, maxSockets: 256 } },
    };
    this.client = new S3Client({ ...base, endpoint: options.endpoint });
    this.signer = options.publicEndpoint && options.publicEndpoint !== options.endpoint ? new S3Client({ ...base, endpoint: options.publicEndpoint }) : this.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.partSize = Math.max(MIN_PART_SIZE, options.partSize ?? MIN_PART_SIZE);
    if (options.presignedUrls) this.presign = (key, presignOptions) => this.presignedUrl(key, presignOptions);
  }

  private objectKey(key: string): string {
    assertSafeKey(key);
    return `${this.prefix}${key}`;
  }

  async write(key: string, body: Readable | Buffer, options: { maxBytes?: number } = {}): Promise<StoredObject> {
    const Key = this.objectKey(key);
    const limit = options.maxBytes ?? Number.POSITIVE_INFINITY;
    if (Buffer.isBuffer(body) && body.length > limit) throw new StorageLimitError(limit);
    let size = 0;
    let streamError: Error | undefined;
    let counted: Buffer | Transform = body as Buffer;
    if (!Buffer.isBuffer(body)) {
      body.once('error', (error) => (streamError ??= error));
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > limit) return done((streamError ??= new StorageLimitError(limit)));
          done(null, chunk);
        },
      });
      // pipeline destroys the source when the limit trips or the upload stops reading.
      counted = pipeline(body, counter, () => undefined);
    }
    const extension = /\.([a-z0-9]+)$/.exec(key)?.[1] ?? '';
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: counted, ContentType: CONTENT_TYPES[extension] ?? 'application/octet-stream' },
      partSize: this.partSize,
      queueSize: 2,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      const cause = streamError;
      if (!Buffer.isBuffer(counted)) counted.destroy();
      // The upload aborts its multipart upload itself; if that abort fails too (a server
      // without AbortMultipartUpload) only invisible parts remain, never an object.
      // The body's own failure (the limit, an engine's broken download) wins over the
      // upload's, as with the local driver.
      if (cause) throw cause;
      throw storageError(error, `upload of ${Key} failed`);
    }
    const stored = await this.stat(key);
    if (!stored) throw storageError(Object.assign(new Error('the object is missing right after its upload'), { name: 'NotFound' }), `upload of ${Key}`);
    return stored;
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw storageError(error, `stat of ${key} failed`);
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
      const body = result.Body;
      if (!(body instanceof Readable)) throw new Error('the response has no readable body');
      if (range && !result.ContentRange?.startsWith(`bytes ${range.start}-${range.end}/`)) {
        // A server that ignored (or misread) the Range sent more: cut the asked-for bytes out.
        return pipeline(body, sliceBytes(range), () => undefined);
      }
      return body;
    } catch (error) {
      throw storageError(error, `read of ${key} failed`);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      if (!isNotFound(error)) throw storageError(error, `delete of ${key} failed`);
    }
  }

  async checkWritable(): Promise<void> {
    const Key = `${this.prefix}.texttune-probe/${randomBytes(6).toString('hex')}`;
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: 'ok' }));
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (error) {
      throw storageError(error, `bucket ${this.bucket} is not writable`);
    }
  }

  private presignedUrl(key: string, options: PresignOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      ResponseContentType: options.contentType,
      ResponseContentDisposition: options.disposition,
      ResponseCacheControl: options.cacheControl,
    });
    // Signing is local, but it needs credentials (the default chain may have none).
    return getSignedUrl(this.signer, command, { expiresIn: options.expiresInSeconds }).catch((error: unknown) => {
      throw storageError(error, `presigning ${key} failed`);
    });
  }

  /** Closes the connection pools (application shutdown). */
  close(): void {
    this.client.destroy();
    if (this.signer !== this.client) this.signer.destroy();
  }
}
