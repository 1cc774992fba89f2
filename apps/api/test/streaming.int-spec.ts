import type { GenerationResponse, TrackResponse } from '@texttune/contracts';
import { readdir, readlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import http from 'node:http';
import { Client } from 'pg';
import { eventually, signIn, waitForStatus } from './support/helpers';
import { listen, raw } from './support/raw-http';
import { countRequestStatements } from './support/request-statements';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

/** The parts of a multipart/byteranges body: each part's headers and bytes. */
function multipart(body: Buffer, contentType: string): { headers: Record<string, string>; bytes: Buffer }[] {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const parts: { headers: Record<string, string>; bytes: Buffer }[] = [];
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    const after = pos + delimiter.length;
    if (body.subarray(after, after + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', after);
    const headers = Object.fromEntries(
      body
        .subarray(after + 2, headerEnd)
        .toString()
        .split('\r\n')
        .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    const next = body.indexOf(delimiter, headerEnd + 4);
    parts.push({ headers, bytes: body.subarray(headerEnd + 4, next) });
    pos = next;
  }
  return parts;
}

describe('streaming and downloads', () => {
  let t: TestApp;
  let base: string;
  let auth: { Authorization: string };
  let track: TrackResponse;
  let full: Buffer;
  let size: number;

  beforeAll(async () => {
    // Open files are shared for a second (10 by default), so the test of a client going away sees them closed soon.
    t = await startTestApp({ MAX_DURATION_SECONDS: '60' }, { engines: [new TestEngine()] });
    base = await listen(t.app);
    auth = await signIn(t);
    const job = (await t.http().post('/v1/generations').set(auth).send({ prompt: '비 오는 날 재즈 피아노 / rainy "jazz"', duration: 2, seed: 5 }).expect(202)).body as GenerationResponse;
    const done = await waitForStatus(t, auth, job.job_id, ['succeeded']);
    track = (await t.http().get(`/v1/tracks/${done.track_ids[0]}`).set(auth).expect(200)).body as TrackResponse;
    const whole = await raw(`${base}/v1/stream/${track.id}`, auth);
    full = whole.body;
    size = full.length;
  });
  afterAll(() => t.close());

  it('serves the whole file with validators and the real type', async () => {
    const res = await raw(`${base}/v1/stream/${track.id}`, auth);
    expect(res.status).toBe(200);
    expect(size).toBe(track.size_bytes);
    expect(full.subarray(0, 4).toString()).toBe('RIFF');
    expect(res.headers).toMatchObject({ 'accept-ranges': 'bytes', 'content-type': 'audio/wav', 'content-length': String(size), 'cache-control': 'private' });
    expect(res.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(new Date(res.headers['last-modified']!).getTime()).toBe(Math.floor(new Date(track.created_at).getTime() / 1000) * 1000);
  });

  // [Range header, status, Content-Range, the body's [first, last] byte (negative: from the end), 'full' or 'none']
  const table: [string, number, string | undefined, [number, number] | 'full' | 'none'][] = [
    ['bytes=0-99', 206, 'bytes 0-99/SIZE', [0, 99]],
    ['bytes=100-', 206, 'bytes 100-LAST/SIZE', [100, -1]],
    ['bytes=-500', 206, 'bytes FROM500-LAST/SIZE', [-500, -1]],
    ['bytes=0-999999999', 206, 'bytes 0-LAST/SIZE', [0, -1]],
    ['bytes=-999999999', 206, 'bytes 0-LAST/SIZE', [0, -1]],
    ['bytes=44-44', 206, 'bytes 44-44/SIZE', [44, 44]],
    ['BYTES=0-1', 206, 'bytes 0-1/SIZE', [0, 1]],
    ['bytes=0-9,5-19', 206, 'bytes 0-19/SIZE', [0, 19]],
    ['bytes=SIZE-', 416, 'bytes */SIZE', 'none'],
    ['bytes=-0', 416, 'bytes */SIZE', 'none'],
    ['bytes=5-2', 200, undefined, 'full'],
    ['bytes=abc', 200, undefined, 'full'],
    ['items=0-1', 200, undefined, 'full'],
  ];
  it.each(table)('Range: %s → %i', async (header, status, contentRange, span) => {
    const res = await raw(`${base}/v1/stream/${track.id}`, { ...auth, Range: header.replace('SIZE', String(size)) });
    expect(res.status).toBe(status);
    const expand = (text: string) => text.replace('SIZE', String(size)).replace('LAST', String(size - 1)).replace('FROM500', String(size - 500));
    expect(res.headers['content-range']).toBe(contentRange && expand(contentRange));
    if (span === 'full') expect(res.body.equals(full)).toBe(true);
    else if (span !== 'none') {
      const [start, end] = span.map((n) => (n < 0 ? size + n : n)); // negative: from the end
      const expected = full.subarray(start, end + 1);
      expect(res.body.equals(expected)).toBe(true);
      expect(res.headers['content-length']).toBe(String(expected.length));
    } else {
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(JSON.parse(res.body.toString())).toMatchObject({ statusCode: 416, code: 'range_not_satisfiable', details: { size } });
    }
  });

  it('answers several ranges as multipart/byteranges with exact parts', async () => {
    const res = await raw(`${base}/v1/stream/${track.id}`, { ...auth, Range: 'bytes=0-3,-4,100-109' });
    expect(res.status).toBe(206);
    expect(res.headers['content-type']).toMatch(/^multipart\/byteranges; boundary=/);
    expect(res.headers['content-length']).toBe(String(res.body.length));
    const parts = multipart(res.body, res.headers['content-type']!);
    expect(parts.map((p) => p.headers['content-range'])).toEqual([`bytes 0-3/${size}`, `bytes ${size - 4}-${size - 1}/${size}`, `bytes 100-109/${size}`]);
    expect(parts.every((p) => p.headers['content-type'] === 'audio/wav')).toBe(true);
    expect(parts[0].bytes.equals(full.subarray(0, 4))).toBe(true);
    expect(parts[1].bytes.equals(full.subarray(size - 4))).toBe(true);
    expect(parts[2].bytes.equals(full.subarray(100, 110))).toBe(true);
  });

  it('answers HEAD with the headers of GET and no body (Range is for GET only)', async () => {
    const res = await raw(`${base}/v1/stream/${track.id}`, { ...auth, Range: 'bytes=0-1' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(size));
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.body.length).toBe(0);
  });

  describe('conditional requests', () => {
    let etag: string;
    let lastModified: string;
    beforeAll(async () => {
      const res = await raw(`${base}/v1/stream/${track.id}`, auth, 'HEAD');
      etag = res.headers.etag!;
      lastModified = res.headers['last-modified']!;
    });
    const later = () => new Date(Date.parse(lastModified) + 3600_000).toUTCString();
    const earlier = () => new Date(Date.parse(lastModified) - 3600_000).toUTCString();

    it('If-None-Match: 304 on a (weakly) matching tag, 200 otherwise', async () => {
      for (const value of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
        const res = await raw(`${base}/v1/stream/${track.id}`, { ...auth, 'If-None-Match': value });
        expect([value, res.status, res.body.length]).toEqual([value, 304, 0]);
        expect(res.headers.etag).toBe(etag);
      }
      expect((await raw(`${base}/v1/stream/${track.id}`, { ...auth, 'If-None-Match': '"other"' })).status).toBe(200);
    });

    it('If-Modified-Since: 304 when not modified since, ignored when If-None-Match is present', async () => {
      expect((await raw(`${base}/v1/stream/${track.id}`, { ...auth, 'If-Modified-Since': lastModified })).status).toBe(304);
      expect((await raw(`${base}/v1/stream/${track.id}`, { ...auth, 'If-Modified-Since': earlier() })).status).toBe(200);
      expect((await raw(`${base}/v1/stream/${track.id}`, { ...auth, 'If-Modified-Since': later(), 'If-None-Match': '"other"' })).status).toBe(200);
      expect((await raw(`${base}/v1/stream/${track.id}`, { ...auth, 'If-Modified-Since': 'not a date' })).status).toBe(200);
    });

    it('If-Range: the range applies only while the validator matches strongly', async () => {
      const range = { ...auth, Range: 'bytes=0-9' };
      expect((await raw(`${base}/v1/stream/${track.id}`, { ...range, 'If-Range': etag })).status).toBe(206);
      expect((await raw(`${base}/v1/stream/${track.id}`, { ...range, 'If-Range': lastModified })).status).toBe(206);
      for (const stale of ['"other"', `W/${etag}`, earlier()]) {
        const res = await raw(`${base}/v1/stream/${track.id}`, { ...range, 'If-Range': stale });
        expect([stale, res.status, res.body.length]).toEqual([stale, 200, size]);
      }
    });

    it('If-Match and If-Unmodified-Since: 412 when they fail', async () => {
      expect((await raw(`${base}/v1/stream/${track.id}`, { ...auth, 'If-Match': etag })).status).toBe(200);
      const failed = await raw(`${base}/v1/stream/${track.id}`, { ...auth, 'If-Match': '"other"' });
      expect(failed.status).toBe(412);
      expect(JSON.parse(failed.body.toString())).toMatchObject({ code: 'precondition_failed' });
      expect((await raw(`${base}/v1/stream/${track.id}`, { ...auth, 'If-Unmodified-Since': earlier() })).status).toBe(412);
      expect((await raw(`${base}/v1/stream/${track.id}`, { ...auth, 'If-Unmodified-Since': later() })).status).toBe(200);
    });
  });

  it('plays in a browser with the session cookie alone', async () => {
    const login = await raw(`${base}/v1/auth/guest`, { 'Content-Type': 'application/json' }, 'POST');
    const cookie = (login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const guestToken = (JSON.parse(login.body.toString()) as { accessToken: string }).accessToken;
    const mine = (await t.http().post('/v1/generations').set({ Authorization: `Bearer ${guestToken}` }).send({ prompt: 'cookie', duration: 1 }).expect(202)).body as GenerationResponse;
    const done = await waitForStatus(t, { Authorization: `Bearer ${guestToken}` }, mine.job_id, ['succeeded']);
    const res = await raw(`${base}/v1/stream/${done.track_ids[0]}`, { Cookie: cookie, Range: 'bytes=0-3' });
    expect(res.status).toBe(206);
    expect(res.body.toString()).toBe('RIFF');
  });

  it('answers 401 without a session and 404 for another user\u2019s track, on stream and download', async () => {
    expect((await raw(`${base}/v1/stream/${track.id}`)).status).toBe(401);
    const other = await signIn(t);
    for (const path of [`/v1/stream/${track.id}`, `/v1/download/${track.id}`, `/v1/stream/${track.id}?format=mp3`, '/v1/stream/not-a-uuid']) {
      const res = await raw(`${base}${path}`, other);
      expect([path, res.status, (JSON.parse(res.body.toString()) as { code: string }).code]).toEqual([path, 404, 'not_found']);
    }
  });

  it('authenticates and finds the track in one statement, then from memory until they change, by session or API token', async () => {
    const email = `tokens-${Date.now()}@example.com`;
    const session = await signIn(t, email);
    const job = (await t.http().post('/v1/generations').set(session).send({ prompt: 'one trip', duration: 1 }).expect(202)).body as GenerationResponse;
    const id = (await waitForStatus(t, session, job.job_id, ['succeeded'])).track_ids[0];
    const { token } = (await t.http().post('/v1/tokens').set(session).send({ name: 'player' }).expect(201)).body as { token: string };
    const apiToken = { Authorization: `Bearer ${token}` };
    await raw(`${base}/v1/stream/${id}`, apiToken); // stamps the token's last use (at most once a minute)

    // One statement for the first request (the caller and the track), none for the next
    // ones (a player's seeks).
    const statements = countRequestStatements();
    try {
      for (const credentials of [session, apiToken]) {
        const counts: number[] = [];
        for (const path of [`/v1/stream/${id}`, `/v1/download/${id}`, `/v1/stream/${id}`]) {
          statements.reset();
          const res = await raw(`${base}${path}`, { ...credentials, Range: 'bytes=0-9' });
          expect([path, res.status, res.body.length]).toEqual([path, 206, 10]);
          counts.push(statements.count());
        }
        expect(counts).toEqual([1, 0, 0]);
      }
    } finally {
      statements.restore();
    }

    // A rename is seen by the next download.
    await t.http().patch(`/v1/tracks/${id}`).set(session).send({ title: 'Renamed' }).expect(200);
    expect((await raw(`${base}/v1/download/${id}`, apiToken)).headers['content-disposition']).toContain('Renamed.wav');

    // Another user's track and a malformed id are 404 through the same statement; a
    // revoked token and a signed-out session are 401 at once.
    for (const credentials of [session, apiToken]) {
      for (const path of [`/v1/stream/${track.id}`, '/v1/download/not-a-uuid']) {
        const res = await raw(`${base}${path}`, credentials);
        expect([path, res.status, (JSON.parse(res.body.toString()) as { code: string }).code]).toEqual([path, 404, 'not_found']);
      }
    }
    const [listed] = ((await t.http().get('/v1/tokens').set(session).expect(200)).body as { items: { id: string }[] }).items;
    await t.http().delete(`/v1/tokens/${listed.id}`).set(session).expect(204);
    expect((await raw(`${base}/v1/stream/${id}`, apiToken)).status).toBe(401);
    await t.http().post('/v1/auth/logout').set(session).expect(200);
    expect((await raw(`${base}/v1/stream/${id}`, session)).status).toBe(401);

    // A deleted track is gone at once (its other take still plays); an account disabled
    // by hand, on another connection, is refused as soon as the notice arrives.
    const byHandEmail = `by-hand-${Date.now()}@example.com`;
    const other = await signIn(t, byHandEmail);
    const made = (await t.http().post('/v1/generations').set(other).send({ prompt: 'by hand', duration: 1, variations: 2 }).expect(202)).body as GenerationResponse;
    const [first, second] = (await waitForStatus(t, other, made.job_id, ['succeeded'])).track_ids;
    expect((await raw(`${base}/v1/stream/${first}`, other)).status).toBe(200);
    await t.http().delete(`/v1/library/${first}`).set(other).expect(204);
    expect((await raw(`${base}/v1/stream/${first}`, other)).status).toBe(404);
    expect((await raw(`${base}/v1/stream/${second}`, other)).status).toBe(200);
    const pg = new Client({ connectionString: t.db.url });
    await pg.connect();
    try {
      await pg.query(`UPDATE users SET disabled_at = now() WHERE email = $1`, [byHandEmail]);
    } finally {
      await pg.end();
    }
    await eventually(async () => (await raw(`${base}/v1/stream/${second}`, other)).status === 401);
  });

  it('downloads as an attachment named after the title, Korean included', async () => {
    const res = await raw(`${base}/v1/download/${track.id}`, auth);
    expect(res.status).toBe(200);
    expect(res.body.equals(full)).toBe(true);
    const disposition = res.headers['content-disposition']!;
    expect(disposition).toMatch(/^attachment; filename="rainy jazz\.wav"; filename\*=UTF-8''/);
    const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)![1];
    expect(decodeURIComponent(encoded)).toBe('비 오는 날 재즈 피아노 rainy jazz.wav');

    await t.http().patch(`/v1/tracks/${track.id}`).set(auth).send({ title: '잔잔한 밤' }).expect(200);
    const korean = await raw(`${base}/v1/download/${track.id}?format=mp3`, auth);
    expect(korean.status).toBe(200);
    expect(korean.headers['content-type']).toBe('audio/mpeg');
    expect(korean.headers['content-disposition']).toBe(`attachment; filename="texttune-${track.id.slice(0, 8)}.mp3"; filename*=UTF-8''${encodeURIComponent('잔잔한 밤.mp3')}`);
  });

  it('refuses an unknown format with a clear error', async () => {
    const res = await raw(`${base}/v1/stream/${track.id}?format=flac`, auth);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString())).toMatchObject({ code: 'validation_failed', details: { fields: { format: ['format must be one of wav, mp3'] } } });
  });

  it('transcodes to MP3 once for concurrent first requests, caches it next to the original, and serves ranges of it', async () => {
    const job = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'mp3 please', duration: 3 }).expect(202)).body as GenerationResponse;
    const id = (await waitForStatus(t, auth, job.job_id, ['succeeded'])).track_ids[0];
    const before = (await t.http().get(`/v1/tracks/${id}`).set(auth).expect(200)).body as TrackResponse;
    expect(before.renditions.map((r) => [r.format, r.size])).toEqual([
      ['wav', before.size_bytes],
      ['mp3', null],
    ]);

    const answers = await Promise.all(Array.from({ length: 6 }, () => raw(`${base}/v1/stream/${id}?format=mp3`, auth)));
    const mp3 = answers[0].body;
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('audio/mpeg');
      expect(res.body.equals(mp3)).toBe(true);
    }
    // An MPEG audio frame (sync word) or an ID3 tag, and a plausible size for 3 s.
    expect(mp3[0] === 0xff || mp3.subarray(0, 3).toString() === 'ID3').toBe(true);
    expect(mp3.length).toBeGreaterThan(10_000);
    expect(mp3.length).toBeLessThan(before.size_bytes / 3);

    const files = (await readdir(t.config.storageDir, { recursive: true })).filter((f) => f.includes(id));
    expect(files.sort()).toEqual([expect.stringMatching(new RegExp(`${id}\\.mp3$`)), expect.stringMatching(new RegExp(`${id}\\.wav$`))]);
    const after = (await t.http().get(`/v1/tracks/${id}`).set(auth).expect(200)).body as TrackResponse;
    expect(after.renditions.find((r) => r.format === 'mp3')?.size).toBe(mp3.length);

    const range = await raw(`${base}/v1/stream/${id}?format=mp3`, { ...auth, Range: 'bytes=10-19' });
    expect(range.status).toBe(206);
    expect(range.body.equals(mp3.subarray(10, 20))).toBe(true);
  });

  it('says so, with its own code, when storage lost the file of a track', async () => {
    const job = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'lost file', duration: 1 }).expect(202)).body as GenerationResponse;
    const id = (await waitForStatus(t, auth, job.job_id, ['succeeded'])).track_ids[0];
    const [file] = (await readdir(t.config.storageDir, { recursive: true })).filter((f) => f.endsWith(`${id}.wav`));
    await unlink(path.join(t.config.storageDir, file));
    for (const url of [`/v1/stream/${id}`, `/v1/download/${id}`, `/v1/stream/${id}?format=mp3`]) {
      const res = await raw(`${base}${url}`, auth);
      expect([url, res.status, (JSON.parse(res.body.toString()) as { code: string }).code]).toEqual([url, 404, 'audio_missing']);
    }
  });

  it('stops reading when the client goes away mid-stream, and closes the file', async () => {
    const job = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'long one', duration: 20, samplerate: 48000 }).expect(202)).body as GenerationResponse;
    const id = (await waitForStatus(t, auth, job.job_id, ['succeeded'], 30_000)).track_ids[0];
    const openFiles = async () => {
      const names = await readdir('/proc/self/fd');
      const targets = await Promise.all(names.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
      return targets.filter((target) => target.includes(id));
    };
    const goAwayMidStream = () =>
      new Promise<void>((resolve, reject) => {
        const req = http.get(`${base}/v1/stream/${id}`, { headers: auth }, (res) => {
          res.once('data', () => {
            openFiles()
              .then((files) => {
                expect(files).toHaveLength(1); // streaming: the file is open, once
                req.destroy();
                resolve();
              })
              .catch(reject);
          });
        });
        req.on('error', () => undefined);
      });
    const closed = async () => {
      for (let i = 0; i < 150 && (await openFiles()).length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await openFiles()).toEqual([]);
    };
    await goAwayMidStream();
    await closed();
    await goAwayMidStream();
    await closed();
    const ranged = await raw(`${base}/v1/stream/${id}`, { ...auth, Range: 'bytes=100-199' });
    expect([ranged.status, ranged.body.length]).toEqual([206, 100]);
    await closed();
  });
});
