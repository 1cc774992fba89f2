import type { ShareResponse, TrackResponse } from '@texttune/contracts';
import { createHash } from 'node:crypto';
import { readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { OfflineEngine } from '../src/engines/local/offline-engine';
import { loadConfig } from '../src/config/app-config';
import { AUDIO_PROXY_LOCATION, AUDIO_SIGNED_LOCATION } from '../src/library/renditions.service';
import { signIn, waitForStatus } from './support/helpers';
import { listen, raw } from './support/raw-http';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

/** The app listening on loopback, a new account and a finished 2-second track of its own. */
async function listenWithTrack(t: TestApp): Promise<{ base: string; auth: { Authorization: string }; track: TrackResponse }> {
  const base = await listen(t.app);
  const auth = await signIn(t);
  const job = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'calm lo-fi piano', duration: 2, seed: 3 }).expect(202)).body as { job_id: string };
  const done = await waitForStatus(t, auth, job.job_id, ['succeeded']);
  const track = (await t.http().get(`/v1/tracks/${done.track_ids[0]}`).set(auth).expect(200)).body as TrackResponse;
  return { base, auth, track };
}

/**
 * AUDIO_OFFLOAD=nginx: the API still decides who may hear what, and names the file for
 * nginx (`X-Accel-Redirect` into the proxy's internal location) with the headers the
 * client must get; the bytes are nginx's job (exercised through the real proxy by
 * tools/deploy-smoke/run.sh and bench/streaming/proxy.cjs).
 */
describe('audio served by the proxy (AUDIO_OFFLOAD=nginx)', () => {
  let t: TestApp;
  let base: string;
  let auth: { Authorization: string };
  let track: TrackResponse;
  const fileOf = (accel: string) => path.join(t.config.storageDir, accel.slice(AUDIO_PROXY_LOCATION.length));

  beforeAll(async () => {
    t = await startTestApp({ AUDIO_OFFLOAD: 'nginx', AUDIO_OFFLOAD_CACHE_SECONDS: '7', MAX_DURATION_SECONDS: '60' }, { engines: [new TestEngine(), new OfflineEngine()] });
    ({ base, auth, track } = await listenWithTrack(t));
  });
  afterAll(() => t.close());

  it('answers a stream with X-Accel-Redirect to the stored file, the type and caching set by the API, and no body', async () => {
    const res = await raw(`${base}/v1/stream/${track.id}`, { ...auth, Range: 'bytes=0-99' });
    expect(res.status).toBe(200);
    const accel = String(res.headers['x-accel-redirect']);
    expect(accel.startsWith(AUDIO_PROXY_LOCATION)).toBe(true);
    expect(accel).toMatch(/\.wav$/);
    expect(res.headers['x-accel-expires']).toBe('7');
    expect(res.headers['content-type']).toBe('audio/wav');
    expect(res.headers['cache-control']).toBe('private');
    expect(res.headers['content-disposition']).toBeUndefined();
    // The range is nginx's to serve: the API sends nothing of the file.
    expect(res.headers['content-range']).toBeUndefined();
    expect(res.body.length).toBe(0);
    // The name maps onto STORAGE_DIR, where the track's bytes are.
    expect((await stat(fileOf(accel))).size).toBe(track.size_bytes);
    // HEAD is handed over the same way.
    const head = await raw(`${base}/v1/stream/${track.id}`, auth, 'HEAD');
    expect(head.headers['x-accel-redirect']).toBe(accel);
  });

  it('still refuses whoever may not hear the track: no file is named to them', async () => {
    const anonymous = await raw(`${base}/v1/stream/${track.id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['x-accel-redirect']).toBeUndefined();
    const stranger = await signIn(t);
    const other = await raw(`${base}/v1/download/${track.id}`, stranger);
    expect(other.status).toBe(404);
    expect(other.headers['x-accel-redirect']).toBeUndefined();
    expect(JSON.parse(other.body.toString())).toMatchObject({ code: 'not_found' });
  });

  it('downloads carry the attachment name; the MP3 rendition is made first and named', async () => {
    const download = await raw(`${base}/v1/download/${track.id}`, auth);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename=".+\.wav"/);
    expect(download.headers['content-type']).toBe('audio/wav');

    const mp3 = await raw(`${base}/v1/download/${track.id}?format=mp3`, auth);
    expect(mp3.status).toBe(200);
    expect(mp3.headers['content-type']).toBe('audio/mpeg');
    expect(mp3.headers['content-disposition']).toMatch(/\.mp3"?/);
    const accel = String(mp3.headers['x-accel-redirect']);
    expect(accel).toMatch(/\.mp3$/);
    const bytes = await readFile(fileOf(accel));
    // An MPEG audio frame (sync word) or an ID3 tag starts the rendition.
    expect(bytes.subarray(0, 3).toString() === 'ID3' || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0)).toBe(true);
  });

  it('MIDI and stems of an offline track are made on first request, then handed over like the audio', async () => {
    const job = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'jazz waltz with piano and bass', duration: 2, samplerate: 22050, seed: 5, engine: 'offline' }).expect(202)).body as { job_id: string };
    const done = await waitForStatus(t, auth, job.job_id, ['succeeded'], 60_000);
    const offline = (await t.http().get(`/v1/tracks/${done.track_ids[0]}`).set(auth).expect(200)).body as TrackResponse;
    const expected = [
      { format: 'midi', type: 'audio/midi', extension: /\.mid$/, name: /^attachment; filename=".+\.mid"/, magic: 'MThd' },
      { format: 'stems', type: 'application/zip', extension: /\.stems\.zip$/, name: /^attachment; filename=".+\.stems\.zip"/, magic: 'PK\x03\x04' },
    ];
    for (const { format, type, extension, name, magic } of expected) {
      const res = await raw(`${base}/v1/download/${offline.id}?format=${format}`, { ...auth, Range: 'bytes=0-99' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['content-disposition']).toMatch(name);
      expect(res.headers['x-accel-expires']).toBe('7');
      expect(res.body.length).toBe(0);
      const accel = String(res.headers['x-accel-redirect']);
      expect(accel.startsWith(AUDIO_PROXY_LOCATION)).toBe(true);
      expect(accel).toMatch(extension);
      // The named file is the whole rendition, recorded on the track with its size.
      const bytes = await readFile(fileOf(accel));
      expect(bytes.subarray(0, 4).toString('latin1')).toBe(magic);
      const after = (await t.http().get(`/v1/tracks/${offline.id}`).set(auth).expect(200)).body as TrackResponse;
      expect(after.renditions.find((r) => r.format === format)?.size).toBe(bytes.length);
      // The second request names the same file (kept, not made again).
      expect((await raw(`${base}/v1/download/${offline.id}?format=${format}`, auth)).headers['x-accel-redirect']).toBe(accel);
    }
    // Whoever may not have the track gets no file named, for parts as for audio.
    const stranger = await raw(`${base}/v1/download/${offline.id}?format=stems`, await signIn(t));
    expect(stranger.status).toBe(404);
    expect(stranger.headers['x-accel-redirect']).toBeUndefined();
  }, 90_000);

  it('share links are handed over without sign-in until revoked, never cached by shared caches', async () => {
    const share = (await t.http().post(`/v1/tracks/${track.id}/share`).set(auth).send({}).expect(201)).body as ShareResponse;
    const res = await raw(`${base}${share.audio_url}`);
    expect(res.status).toBe(200);
    expect(res.headers['x-accel-redirect']).toMatch(new RegExp(`^${AUDIO_PROXY_LOCATION}.+\\.wav$`));
    expect(res.headers['cache-control']).toBe('private, no-cache');
    await t.http().delete(`/v1/tracks/${track.id}/shares/${share.id}`).set(auth).expect(204);
    const revoked = await raw(`${base}${share.audio_url}`);
    expect(revoked.status).toBe(404);
    expect(revoked.headers['x-accel-redirect']).toBeUndefined();
  });

  it('a file gone from storage is the API\u2019s 404 audio_missing, not the proxy\u2019s', async () => {
    const first = await raw(`${base}/v1/stream/${track.id}`, auth);
    await unlink(fileOf(String(first.headers['x-accel-redirect'])));
    const res = await raw(`${base}/v1/stream/${track.id}`, auth);
    expect(res.status).toBe(404);
    expect(res.headers['x-accel-redirect']).toBeUndefined();
    expect(JSON.parse(res.body.toString())).toMatchObject({ code: 'audio_missing' });
  });
});

/**
 * AUDIO_OFFLOAD_SIGNING_KEY: plays answer a redirect to a URL the proxy checks by itself
 * (nginx's secure_link: the MD5 of expiry, path and key); nginx's verdicts on such URLs
 * (served, tampered, expired) are exercised through the real proxy by bench/streaming/proxy.cjs.
 */
describe('signed audio URLs for the proxy (AUDIO_OFFLOAD_SIGNING_KEY)', () => {
  const KEY = 'k'.repeat(20) + '0123456789abcdef';
  let t: TestApp;
  let base: string;
  let auth: { Authorization: string };
  let track: TrackResponse;
  /** nginx's `secure_link_md5 "$secure_link_expires$uri <key>"`, as site.conf.template sets it */
  const nginxMd5 = (expires: string, uri: string) => createHash('md5').update(`${expires}${uri} ${KEY}`).digest('base64url');

  beforeAll(async () => {
    t = await startTestApp({ AUDIO_OFFLOAD: 'nginx', AUDIO_OFFLOAD_SIGNING_KEY: KEY, AUDIO_OFFLOAD_URL_SECONDS: '120', MAX_DURATION_SECONDS: '60' }, { engines: [new TestEngine()] });
    ({ base, auth, track } = await listenWithTrack(t));
  });
  afterAll(() => t.close());

  it('a play is a redirect to the stored file under the signed location, valid for AUDIO_OFFLOAD_URL_SECONDS, never cached', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await raw(`${base}/v1/stream/${track.id}`, { ...auth, Range: 'bytes=0-99' });
    expect(res.status).toBe(302);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['x-accel-redirect']).toBeUndefined();
    const location = new URL(String(res.headers.location), base);
    expect(location.pathname.startsWith(AUDIO_SIGNED_LOCATION)).toBe(true);
    expect((await stat(path.join(t.config.storageDir, location.pathname.slice(AUDIO_SIGNED_LOCATION.length)))).size).toBe(track.size_bytes);
    const expires = String(location.searchParams.get('expires'));
    expect(Number(expires) - before).toBeGreaterThanOrEqual(120);
    expect(Number(expires) - before).toBeLessThanOrEqual(122);
    expect(location.searchParams.get('md5')).toBe(nginxMd5(expires, location.pathname));
    // Another key would not make this signature.
    expect(createHash('md5').update(`${expires}${location.pathname} ${KEY.replace('k', 'j')}`).digest('base64url')).not.toBe(location.searchParams.get('md5'));
  });

  it('share links redirect the same way; downloads and HEAD stay X-Accel answers (a name, one request)', async () => {
    const share = (await t.http().post(`/v1/tracks/${track.id}/share`).set(auth).send({}).expect(201)).body as ShareResponse;
    const shared = await raw(`${base}${share.audio_url}`);
    expect(shared.status).toBe(302);
    expect(String(shared.headers.location)).toMatch(new RegExp(`^${AUDIO_SIGNED_LOCATION}.+\\.wav\\?md5=[A-Za-z0-9_-]{22}&expires=\\d+$`));
    const download = await raw(`${base}/v1/download/${track.id}`, auth);
    expect(download.status).toBe(200);
    expect(download.headers['x-accel-redirect']).toMatch(new RegExp(`^${AUDIO_PROXY_LOCATION}.+\\.wav$`));
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    const head = await raw(`${base}/v1/stream/${track.id}`, auth, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['x-accel-redirect']).toMatch(new RegExp(`^${AUDIO_PROXY_LOCATION}`));
  });

  it('whoever may not hear the track gets no signed URL', async () => {
    const anonymous = await raw(`${base}/v1/stream/${track.id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.location).toBeUndefined();
    const stranger = await raw(`${base}/v1/stream/${track.id}`, await signIn(t));
    expect(stranger.status).toBe(404);
    expect(stranger.headers.location).toBeUndefined();
  });

  it('a key the proxy could not use is refused at start with what to set', () => {
    expect(() => loadConfig({ AUDIO_OFFLOAD: 'nginx', AUDIO_OFFLOAD_SIGNING_KEY: 'short' })).toThrow(/AUDIO_OFFLOAD_SIGNING_KEY.*32-128 letters, digits, _ or -/);
    expect(() => loadConfig({ AUDIO_OFFLOAD: 'nginx', AUDIO_OFFLOAD_SIGNING_KEY: `${KEY}|x` })).toThrow(/AUDIO_OFFLOAD_SIGNING_KEY/);
  });
});
