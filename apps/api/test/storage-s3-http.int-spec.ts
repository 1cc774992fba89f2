import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { GenerationResponse } from '@texttune/contracts';
import { randomBytes } from 'node:crypto';
import { signIn, waitForStatus } from './support/helpers';
import { startS3Server, type TestS3Server } from './support/s3-server';
import { listen, raw } from './support/raw-http';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

/** A finished one-take job; returns the track id. */
async function makeTrack(t: TestApp, auth: { Authorization: string }, prompt: string): Promise<string> {
  const job = (await t.http().post('/v1/generations').set(auth).send({ prompt, duration: 2, seed: 7 }).expect(202)).body as GenerationResponse;
  const done = await waitForStatus(t, auth, job.job_id, ['succeeded']);
  return done.track_ids[0];
}

describe('S3 storage over HTTP: presigned redirects (STORAGE_DRIVER=s3)', () => {
  let s3: TestS3Server;
  let bucket: string;
  let t: TestApp;
  let base: string;
  let auth: { Authorization: string };
  let trackId: string;
  let objects: string[];

  beforeAll(async () => {
    s3 = await startS3Server();
    bucket = `tt-${randomBytes(4).toString('hex')}`;
    await s3.createBucket(bucket);
    t = await startTestApp(s3.env(bucket, { S3_URL_EXPIRES_SECONDS: '120' }), { engines: [new TestEngine()] });
    base = await listen(t.app);
    auth = await signIn(t);
    trackId = await makeTrack(t, auth, 'rain on a tin roof');
    objects = await s3.listKeys(bucket);
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  it('stores the take in the bucket (nothing on the local disk)', () => {
    expect(objects).toEqual([expect.stringMatching(new RegExp(`/${trackId}\\.wav$`))]);
  });

  it('answers stream with a private, uncacheable 302 to a presigned URL; Range then works against the bucket', async () => {
    const res = await raw(`${base}/v1/stream/${trackId}`, auth);
    expect(res.status).toBe(302);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const location = res.headers.location!;
    expect(location.startsWith(`${s3.endpoint}/${bucket}/${objects[0]}?`)).toBe(true);
    expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe('120');

    const whole = await raw(location);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('audio/wav');
    expect(whole.body.subarray(0, 4).toString()).toBe('RIFF');
    const part = await raw(location, { Range: 'bytes=100-1123' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-1123/${whole.body.length}`);
    expect(part.body.equals(whole.body.subarray(100, 1124))).toBe(true);
  });

  it('answers download with a 302 whose URL makes the bucket send the attachment name', async () => {
    const res = await raw(`${base}/v1/download/${trackId}`, auth);
    expect(res.status).toBe(302);
    const file = await raw(res.headers.location!);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename="rain on a tin roof.wav"');

    const korean = await makeTrack(t, auth, '비 오는 날');
    const named = await raw((await raw(`${base}/v1/download/${korean}`, auth)).headers.location!);
    expect(named.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.wav"; filename\*=UTF-8''%EB%B9%84%20%EC%98%A4%EB%8A%94%20%EB%82%A0\.wav$/);
    await t.http().delete(`/v1/tracks/${korean}`).set(auth).expect(204);
  });

  it('answers HEAD itself (a presigned GET URL is not valid for HEAD)', async () => {
    const res = await raw(`${base}/v1/stream/${trackId}`, auth, 'HEAD');
    expect(res.status).toBe(200);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(44);
    expect(res.headers['accept-ranges']).toBe('bytes');
  });

  it('checks ownership before redirecting: 401 without a session, 404 for another user', async () => {
    expect((await raw(`${base}/v1/stream/${trackId}`)).status).toBe(401);
    const other = await signIn(t);
    const res = await raw(`${base}/v1/stream/${trackId}`, other);
    expect(res.status).toBe(404);
    expect(res.headers.location).toBeUndefined();
  });

  it('makes the MP3 rendition into the bucket, serves it once, then redirects to it', async () => {
    const first = await raw(`${base}/v1/stream/${trackId}?format=mp3`, auth);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('audio/mpeg');
    const keys = await s3.listKeys(bucket);
    const mp3 = keys.find((k) => k.endsWith(`${trackId}.mp3`));
    expect(mp3).toBeDefined();

    const second = await raw(`${base}/v1/stream/${trackId}?format=mp3`, auth);
    expect(second.status).toBe(302);
    expect(second.headers.location!.startsWith(`${s3.endpoint}/${bucket}/${mp3}?`)).toBe(true);
    const viaBucket = await raw(second.headers.location!);
    expect(viaBucket.headers['content-type']).toBe('audio/mpeg');
    expect(viaBucket.body.equals(first.body)).toBe(true);

    const download = await raw(`${base}/v1/download/${trackId}?format=mp3`, auth);
    expect(download.status).toBe(302);
    expect((await raw(download.headers.location!)).headers['content-disposition']).toMatch(/filename="rain on a tin roof\.mp3"/);
  });

  it('redirects share-link streams too', async () => {
    const share = (await t.http().post(`/v1/tracks/${trackId}/share`).set(auth).send({}).expect(201)).body as { audio_url: string };
    const res = await raw(`${base}${share.audio_url}`);
    expect(res.status).toBe(302);
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('lets pages play audio from the bucket (CSP media-src names its origin)', async () => {
    const res = await raw(`${base}/v1/health`);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(new RegExp(`media-src [^;]*'self'[^;]* ${s3.endpoint.replace(/[.:/]/g, '\\$&')}(;|$)`));
  });

  it('reports the bucket in readiness', async () => {
    const res = await t.http().get('/v1/health/ready').expect(200);
    expect(res.body.info.storage).toMatchObject({ status: 'up' });
  });

  it('deletes every object of a track: the original and its renditions', async () => {
    const before = await s3.listKeys(bucket);
    expect(before.filter((k) => k.includes(trackId))).toHaveLength(2);
    await t.http().delete(`/v1/tracks/${trackId}`).set(auth).expect(204);
    expect((await s3.listKeys(bucket)).filter((k) => k.includes(trackId))).toEqual([]);
    expect((await raw(`${base}/v1/stream/${trackId}`, auth)).status).toBe(404);
  });
});

describe('S3 storage over HTTP: proxied by the API (S3_PROXY=true)', () => {
  let s3: TestS3Server;
  let bucket: string;
  let t: TestApp;
  let base: string;
  let auth: { Authorization: string };
  let trackId: string;
  let full: Buffer;

  beforeAll(async () => {
    s3 = await startS3Server();
    bucket = `tt-${randomBytes(4).toString('hex')}`;
    await s3.createBucket(bucket);
    t = await startTestApp(s3.env(bucket, { S3_PROXY: 'true', S3_PREFIX: 'texttune/' }), { engines: [new TestEngine()] });
    base = await listen(t.app);
    auth = await signIn(t);
    trackId = await makeTrack(t, auth, 'proxied strings');
    full = (await raw(`${base}/v1/stream/${trackId}`, auth)).body;
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  it('keeps objects under S3_PREFIX', async () => {
    expect(await s3.listKeys(bucket)).toEqual([expect.stringMatching(new RegExp(`^texttune/[0-9a-f-]+/${trackId}\\.wav$`))]);
  });

  it('streams the whole object, single ranges and several ranges from the bucket', async () => {
    const whole = await raw(`${base}/v1/stream/${trackId}`, auth);
    expect(whole.status).toBe(200);
    expect(whole.headers.location).toBeUndefined();
    expect(whole.body.subarray(0, 4).toString()).toBe('RIFF');
    expect(Number(whole.headers['content-length'])).toBe(full.length);

    const one = await raw(`${base}/v1/stream/${trackId}`, { ...auth, Range: 'bytes=0-0' });
    expect(one.status).toBe(206);
    expect(one.body.equals(full.subarray(0, 1))).toBe(true);
    const tail = await raw(`${base}/v1/stream/${trackId}`, { ...auth, Range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(tail.headers['content-range']).toBe(`bytes ${full.length - 10}-${full.length - 1}/${full.length}`);
    expect(tail.body.equals(full.subarray(full.length - 10))).toBe(true);
    const several = await raw(`${base}/v1/stream/${trackId}`, { ...auth, Range: 'bytes=0-3,100-109' });
    expect(several.status).toBe(206);
    expect(several.headers['content-type']).toMatch(/^multipart\/byteranges; boundary=/);
    expect(several.body.includes(full.subarray(100, 110))).toBe(true);
  });

  it('keeps conditional requests and downloads', async () => {
    const first = await raw(`${base}/v1/stream/${trackId}`, auth, 'HEAD');
    expect((await raw(`${base}/v1/stream/${trackId}`, { ...auth, 'If-None-Match': String(first.headers.etag) })).status).toBe(304);
    const download = await raw(`${base}/v1/download/${trackId}`, auth);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="proxied strings\.wav"/);
    expect(download.body.equals(full)).toBe(true);
  });

  it('serves the MP3 rendition from the bucket', async () => {
    const mp3 = await raw(`${base}/v1/stream/${trackId}?format=mp3`, auth);
    expect(mp3.status).toBe(200);
    expect(mp3.headers['content-type']).toBe('audio/mpeg');
    expect((await s3.listKeys(bucket)).filter((k) => k.includes(trackId))).toHaveLength(2);
    const again = await raw(`${base}/v1/stream/${trackId}?format=mp3`, { ...auth, Range: 'bytes=0-99' });
    expect(again.status).toBe(206);
    expect(again.body.equals(mp3.body.subarray(0, 100))).toBe(true);
  });

  it('answers 404 audio_missing for an object gone from the bucket, 503 storage_unavailable when the bucket is down', async () => {
    const [key] = (await s3.listKeys(bucket)).filter((k) => k.endsWith(`${trackId}.wav`));
    await s3.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    const missing = await raw(`${base}/v1/stream/${trackId}`, auth);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toMatchObject({ code: 'audio_missing' });

    await s3.close();
    const down = await raw(`${base}/v1/stream/${trackId}?format=mp3`, auth);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body.toString())).toMatchObject({ code: 'storage_unavailable' });
    const ready = await t.http().get('/v1/health/ready');
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toMatch(/storage not writable/);
  }, 30_000);
});
