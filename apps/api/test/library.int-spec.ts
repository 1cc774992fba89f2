import { PEAKS_LENGTH, type GenerationResponse, type LibraryItem, type LibraryResponse, type ShareResponse, type SharedTrackResponse, type TrackResponse } from '@texttune/contracts';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { StorageGarbage } from '../src/storage/storage-garbage';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

type Auth = { Authorization: string };

describe('library and tracks', () => {
  let t: TestApp;
  let auth: Auth;
  const engine = new TestEngine();

  async function generate(who: Auth, body: Record<string, unknown>): Promise<GenerationResponse> {
    const job = (await t.http().post('/v1/generations').set(who).send({ duration: 1, ...body }).expect(202)).body as GenerationResponse;
    return waitForStatus(t, who, job.job_id, ['succeeded']);
  }
  const library = async (who: Auth, query = '') => (await t.http().get(`/v1/library${query}`).set(who).expect(200)).body as LibraryResponse;
  const storedFiles = async () => (await readdir(t.config.storageDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);

  beforeAll(async () => {
    t = await startTestApp({ MAX_ACTIVE_JOBS_PER_USER: '50' }, { engines: [engine] });
    auth = await signIn(t);
  });
  afterAll(() => t.close());

  it('lists tracks newest first in the original shape, with waveform and stream URLs', async () => {
    const who = await signIn(t);
    const first = await generate(who, { prompt: 'first one', seed: 1 });
    const second = await generate(who, { prompt: '두 번째 곡', seed: 2, variations: 2 });
    const page = await library(who);
    expect(page.next_cursor).toBeNull();
    expect(page.items).toHaveLength(3);
    expect(new Set(page.items.slice(0, 2).map((i) => i.id))).toEqual(new Set(second.track_ids));
    expect(page.items[2].id).toBe(first.track_ids[0]);
    const item = page.items.find((i) => i.id === first.track_ids[0])!;
    expect(item).toEqual<LibraryItem>({
      id: first.track_ids[0],
      title: 'first one',
      prompt_raw: 'first one',
      prompt_expanded: expect.stringContaining('test tone'),
      duration: 1,
      samplerate: 44100,
      format: 'wav',
      engine: 'test',
      created_at: expect.any(String),
      audio_url: `/v1/stream/${first.track_ids[0]}`,
      download_url: `/v1/download/${first.track_ids[0]}`,
      peaks_url: `/v1/tracks/${first.track_ids[0]}/peaks`,
      job_id: first.job_id,
      take_index: 0,
      // a 1 s steady tone: measured at intake; no 3 s window, so no range
      loudness: { integrated_lufs: expect.any(Number) as unknown as number, true_peak_dbtp: expect.any(Number) as unknown as number, range_lu: 0 },
    });
    const takes = page.items.filter((i) => i.job_id === second.job_id);
    expect(takes.map((i) => i.title).sort()).toEqual(['두 번째 곡 (take 1)', '두 번째 곡 (take 2)']);
  });

  it('pages with a keyset cursor that stays stable while tracks are added', async () => {
    const who = await signIn(t);
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push(...(await generate(who, { prompt: `page track ${i}` })).track_ids);
    const page1 = await library(who, '?limit=3');
    expect(page1.items).toHaveLength(3);
    // New tracks arrive between page requests: they must not shift what the next pages show.
    await generate(who, { prompt: 'arrived later' });
    const seen = [...page1.items];
    let cursor = page1.next_cursor;
    while (cursor) {
      const page = await library(who, `?limit=3&cursor=${cursor}`);
      seen.push(...page.items);
      cursor = page.next_cursor;
    }
    expect(seen.map((i) => i.id)).toEqual(made.slice().reverse());
    expect((await library(who, '?limit=100')).items).toHaveLength(8);
  });

  it('validates the page parameters', async () => {
    const bad = await t.http().get('/v1/library?limit=101').set(auth).expect(400);
    expect(bad.body).toMatchObject({ code: 'validation_failed', details: { fields: { limit: expect.any(Array) } } });
    const cursor = await t.http().get('/v1/library?cursor=garbage').set(auth).expect(400);
    expect(cursor.body).toMatchObject({ code: 'validation_failed', details: { fields: { cursor: ['cursor is not valid'] } } });
    await t.http().get('/v1/library').expect(401);
  });

  it('searches title and prompt, in Korean and English, case-insensitively, with LIKE characters taken literally', async () => {
    const who = await signIn(t);
    const jazz = await generate(who, { prompt: '비 오는 날 듣기 좋은 잔잔한 재즈 피아노' });
    const rock = await generate(who, { prompt: 'Loud ROCK anthem 100% energy' });
    await generate(who, { prompt: 'calm ambient pads' });
    const ids = async (q: string) => (await library(who, `?q=${encodeURIComponent(q)}`)).items.map((i) => i.id);
    expect(await ids('재즈')).toEqual(jazz.track_ids);
    expect(await ids('잔잔한 재즈')).toEqual(jazz.track_ids);
    expect(await ids('rock')).toEqual(rock.track_ids);
    expect(await ids('100%')).toEqual(rock.track_ids);
    expect(await ids('%')).toEqual(rock.track_ids);
    expect(await ids('_')).toEqual([]);
    expect(await ids('nothing like this')).toEqual([]);
    await t.http().patch(`/v1/tracks/${rock.track_ids[0]}`).set(who).send({ title: '새벽 드라이브' }).expect(200);
    expect(await ids('드라이브')).toEqual(rock.track_ids);
    // another user's tracks are never found
    expect((await library(auth, `?q=${encodeURIComponent('재즈')}`)).items.filter((i) => i.id === jazz.track_ids[0])).toEqual([]);
  });

  it('describes a track in full: parameters, engine metadata, formats, peaks and sibling takes', async () => {
    const job = await generate(auth, { prompt: 'details please', seed: 77, variations: 2, quality: 'high', params: { topK: 100, temperature: 0.8 } });
    const track = (await t.http().get(`/v1/tracks/${job.track_ids[1]}`).set(auth).expect(200)).body as TrackResponse;
    expect(track).toMatchObject({
      id: job.track_ids[1],
      job_id: job.job_id,
      take_index: 1,
      channels: 2,
      engine_meta: { freq: expect.any(Number) },
      params: { seed: 78, quality: 'high', duration: 1, samplerate: 44100, sampling: { topK: 100, temperature: 0.8 } },
      sibling_ids: job.track_ids,
    });
    expect(track.renditions.map((r) => r.format)).toEqual(['wav', 'mp3']);
    expect(track.renditions[0]).toEqual({ format: 'wav', mime_type: 'audio/wav', size: track.size_bytes, url: `/v1/stream/${track.id}`, download_url: `/v1/download/${track.id}` });
    expect(track.renditions[1]).toMatchObject({ format: 'mp3', size: null, url: `/v1/stream/${track.id}?format=mp3` });
    // The test engine's tone has amplitude 0.3 and moves in every slice of the waveform.
    const peaksOf = track.peaks!;
    expect(peaksOf).toHaveLength(PEAKS_LENGTH * 2);
    const mins = peaksOf.filter((_, i) => i % 2 === 0);
    const maxes = peaksOf.filter((_, i) => i % 2 === 1);
    expect(Math.min(...mins)).toBeCloseTo(-0.3, 2);
    expect(Math.max(...maxes)).toBeCloseTo(0.3, 2);
    mins.forEach((min, i) => expect(maxes[i] - min).toBeGreaterThan(0.01));
    const peaks = await t.http().get(`/v1/tracks/${track.id}/peaks`).set(auth).expect(200);
    expect(peaks.body).toEqual({ peaks: track.peaks });
    expect(peaks.headers['cache-control']).toBe('private, max-age=86400');
  });

  it('has no waveform for audio it cannot decode, and says so', async () => {
    const mp3Frame = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]);
    engine.behaviour = { output: Buffer.concat(Array.from({ length: 20 }, () => mp3Frame)) };
    try {
      const job = await generate(auth, { prompt: 'an mp3 from the engine' });
      const track = (await t.http().get(`/v1/tracks/${job.track_ids[0]}`).set(auth).expect(200)).body as TrackResponse;
      expect(track).toMatchObject({ format: 'mp3', peaks: null, peaks_url: null });
      expect(track.renditions.map((r) => r.format)).toEqual(['mp3']);
      expect((await t.http().get(`/v1/tracks/${track.id}/peaks`).set(auth).expect(404)).body.code).toBe('not_found');
      const wav = await t.http().get(`/v1/stream/${track.id}?format=wav`).set(auth).expect(400);
      expect(wav.body).toMatchObject({ code: 'format_unavailable', details: { available: ['mp3'] } });
    } finally {
      engine.behaviour = {};
    }
  });

  it('renames with validation', async () => {
    const job = await generate(auth, { prompt: 'rename me' });
    const id = job.track_ids[0];
    const renamed = await t.http().patch(`/v1/tracks/${id}`).set(auth).send({ title: '  새 이름  ' }).expect(200);
    expect(renamed.body).toMatchObject({ id, title: '새 이름' });
    expect(((await t.http().get(`/v1/tracks/${id}`).set(auth).expect(200)).body as TrackResponse).title).toBe('새 이름');
    for (const title of ['', '   ', 'x'.repeat(201), 'bad\u0007title', 5]) {
      const res = await t.http().patch(`/v1/tracks/${id}`).set(auth).send({ title }).expect(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it('regenerates the same request: the same seed reproduces the audio, a new seed does not', async () => {
    const original = await generate(auth, { prompt: 'again', seed: 1234, samplerate: 22050, quality: 'standard', variations: 2, params: { topK: 50 } });
    const takeTwo = original.track_ids[1];
    const bytes = async (trackId: string) => (await t.http().get(`/v1/stream/${trackId}`).set(auth).buffer(true).expect(200)).body as Buffer;

    const same = (await t.http().post(`/v1/tracks/${takeTwo}/regenerate`).set(auth).send({ seed: 'same' }).expect(202)).body as GenerationResponse;
    expect(same.params).toEqual({ duration: 1, samplerate: 22050, seed: 1235, quality: 'standard', variations: 1, sampling: { topK: 50 } });
    expect(same.engine).toBe('test');
    const sameDone = await waitForStatus(t, auth, same.job_id, ['succeeded']);
    expect((await bytes(sameDone.track_ids[0])).equals(await bytes(takeTwo))).toBe(true);

    const fresh = (await t.http().post(`/v1/tracks/${takeTwo}/regenerate`).set(auth).send({}).expect(202)).body as GenerationResponse;
    expect(fresh.params.seed).not.toBe(1235);
    const chosen = (await t.http().post(`/v1/tracks/${takeTwo}/regenerate`).set(auth).send({ seed: 42 }).expect(202)).body as GenerationResponse;
    expect(chosen.params.seed).toBe(42);
    for (const seed of ['maybe', -1, 4294967296, 1.5]) {
      expect((await t.http().post(`/v1/tracks/${takeTwo}/regenerate`).set(auth).send({ seed }).expect(400)).body.code).toBe('validation_failed');
    }
    await waitForStatus(t, auth, fresh.job_id, ['succeeded']);
    await waitForStatus(t, auth, chosen.job_id, ['succeeded']);
  });

  it('deletes the row and every file of the track; a second delete is 404', async () => {
    const job = await generate(auth, { prompt: 'delete me' });
    const id = job.track_ids[0];
    await t.http().get(`/v1/stream/${id}?format=mp3`).set(auth).expect(200); // make a rendition too
    expect((await storedFiles()).filter((f) => f.startsWith(id)).sort()).toEqual([`${id}.mp3`, `${id}.wav`]);
    await t.http().delete(`/v1/library/${id}`).set(auth).expect(204);
    expect((await storedFiles()).filter((f) => f.startsWith(id))).toEqual([]);
    expect((await t.http().delete(`/v1/library/${id}`).set(auth).expect(404)).body.code).toBe('not_found');
    await t.http().get(`/v1/tracks/${id}`).set(auth).expect(404);
    await t.http().get(`/v1/stream/${id}`).set(auth).expect(404);
    expect((await library(auth, '?limit=100')).items.map((i) => i.id)).not.toContain(id);
  });

  it('keeps a file it could not remove in the outbox and removes it on a later sweep', async () => {
    const job = await generate(auth, { prompt: 'stubborn file' });
    const id = job.track_ids[0];
    const db = t.app.get(DataSource);
    const [{ storage_key: key }] = await db.query<{ storage_key: string }[]>(`SELECT storage_key FROM tracks WHERE id = $1`, [id]);
    const file = path.join(t.config.storageDir, key);
    // Storage refuses the removal (a directory stands where the file was; even root cannot unlink it).
    await rename(file, `${file}.aside`);
    await mkdir(path.join(file, 'blocker'), { recursive: true });
    await t.http().delete(`/v1/library/${id}`).set(auth).expect(204);
    await t.http().get(`/v1/tracks/${id}`).set(auth).expect(404);
    const pending = await db.query<{ key: string; attempts: number; last_error: string; later: boolean }[]>(`SELECT key, attempts, last_error, next_attempt_at > now() AS later FROM storage_garbage`);
    expect(pending).toEqual([{ key, attempts: 1, last_error: expect.stringMatching(/EISDIR|EPERM/), later: true }]);

    // The storage recovers; the next due sweep removes the file and clears the outbox.
    await rm(file, { recursive: true });
    await rename(`${file}.aside`, file);
    await t.app.get(StorageGarbage).sweep();
    expect(await storedFiles()).toContain(`${id}.wav`); // not due yet (backoff)
    await db.query(`UPDATE storage_garbage SET next_attempt_at = now()`);
    await t.app.get(StorageGarbage).sweep();
    expect(await storedFiles()).not.toContain(`${id}.wav`);
    expect(await db.query(`SELECT key FROM storage_garbage`)).toEqual([]);
  });

  it('answers 404 for every track endpoint of another user\u2019s track', async () => {
    const job = await generate(auth, { prompt: 'mine only' });
    const id = job.track_ids[0];
    const other = await signIn(t);
    const share = (await t.http().post(`/v1/tracks/${id}/share`).set(auth).send({}).expect(201)).body as ShareResponse;
    const attempts: [string, () => ReturnType<ReturnType<TestApp['http']>['get']>][] = [
      ['GET track', () => t.http().get(`/v1/tracks/${id}`)],
      ['GET peaks', () => t.http().get(`/v1/tracks/${id}/peaks`)],
      ['PATCH track', () => t.http().patch(`/v1/tracks/${id}`).send({ title: 'stolen' })],
      ['DELETE library', () => t.http().delete(`/v1/library/${id}`)],
      ['DELETE track', () => t.http().delete(`/v1/tracks/${id}`)],
      ['POST regenerate', () => t.http().post(`/v1/tracks/${id}/regenerate`).send({})],
      ['POST share', () => t.http().post(`/v1/tracks/${id}/share`).send({})],
      ['GET shares', () => t.http().get(`/v1/tracks/${id}/shares`)],
      ['DELETE share', () => t.http().delete(`/v1/tracks/${id}/shares/${share.id}`)],
      ['GET stream', () => t.http().get(`/v1/stream/${id}`)],
      ['GET download', () => t.http().get(`/v1/download/${id}`)],
    ];
    for (const [label, attempt] of attempts) {
      const res = await attempt().set(other);
      expect([label, res.status, res.body.code]).toEqual([label, 404, 'not_found']);
    }
    expect(((await t.http().get(`/v1/tracks/${id}`).set(auth).expect(200)).body as TrackResponse).title).toBe('mine only');
  });

  describe('share links', () => {
    it('share a track publicly: metadata, waveform and audio only, until revoked', async () => {
      const job = await generate(auth, { prompt: '공유할 노래' });
      const id = job.track_ids[0];
      const created = await t.http().post(`/v1/tracks/${id}/share`).set(auth).send({ expiresInHours: 2 }).expect(201);
      const share = created.body as ShareResponse;
      expect(share).toMatchObject({ track_id: id, url: expect.stringMatching(/^\/v1\/shared\/[^/]+$/), audio_url: `${share.url}/stream` });
      expect(Math.abs(Date.parse(share.expires_at) - Date.now() - 2 * 3600_000)).toBeLessThan(60_000);

      const shared = (await t.http().get(share.url).expect(200)).body as SharedTrackResponse; // no sign-in
      expect(Object.keys(shared).sort()).toEqual(['audio_url', 'created_at', 'download_url', 'duration', 'expires_at', 'format', 'loudness', 'peaks', 'prompt_expanded', 'prompt_raw', 'samplerate', 'title']);
      expect(shared).toMatchObject({ title: '공유할 노래', prompt_raw: '공유할 노래', audio_url: share.audio_url, expires_at: share.expires_at });
      expect(shared.peaks).toHaveLength(PEAKS_LENGTH * 2);
      const audio = await t.http().get(share.audio_url).set('Range', 'bytes=0-3').expect(206);
      expect(Buffer.from(audio.body as Buffer).toString()).toBe('RIFF');
      await t.http().get(`${share.audio_url}?format=mp3`).expect(200).expect('Content-Type', 'audio/mpeg');
      expect((await t.http().get(`${share.url}/peaks`).expect(200)).body.peaks).toEqual(shared.peaks);

      expect(((await t.http().get(`/v1/tracks/${id}/shares`).set(auth).expect(200)).body as { items: ShareResponse[] }).items.map((s) => s.id)).toEqual([share.id]);
      await t.http().delete(`/v1/tracks/${id}/shares/${share.id}`).set(auth).expect(204);
      for (const url of [share.url, share.audio_url, `${share.url}/peaks`]) expect((await t.http().get(url).expect(404)).body.code).toBe('not_found');
      await t.http().delete(`/v1/tracks/${id}/shares/${share.id}`).set(auth).expect(404);
      expect(((await t.http().get(`/v1/tracks/${id}/shares`).set(auth).expect(200)).body as { items: ShareResponse[] }).items).toEqual([]);
    });

    it('refuses forged, altered and expired links, and links of deleted tracks', async () => {
      const job = await generate(auth, { prompt: 'short-lived' });
      const id = job.track_ids[0];
      const share = (await t.http().post(`/v1/tracks/${id}/share`).set(auth).send({ expiresInHours: 1 }).expect(201)).body as ShareResponse;
      const token = share.url.split('/').at(-1)!;
      const [shareId, expiry, signature] = token.split('.');
      const later = (parseInt(expiry, 36) + 3600_000).toString(36);
      for (const forged of [`${shareId}.${later}.${signature}`, `${shareId}.${expiry}.${signature.slice(0, -2)}AA`, `${shareId}.${expiry}`, 'nonsense', `${shareId}.${expiry}.${signature}.x`]) {
        expect([forged, (await t.http().get(`/v1/shared/${forged}`)).status]).toEqual([forged, 404]);
      }
      await t.http().get(share.url).expect(200);

      // Expiry: the row and the signed expiry both say it is over.
      await t.app.get(DataSource).query(`UPDATE track_shares SET expires_at = now() - interval '1 second' WHERE id = $1`, [shareId]);
      await t.http().get(share.url).expect(404);

      const live = (await t.http().post(`/v1/tracks/${id}/share`).set(auth).send({}).expect(201)).body as ShareResponse;
      await t.http().get(live.url).expect(200);
      await t.http().delete(`/v1/library/${id}`).set(auth).expect(204);
      await t.http().get(live.url).expect(404);
      await t.http().get(live.audio_url).expect(404);
    });

    it('validates the expiry', async () => {
      const job = await generate(auth, { prompt: 'expiry rules' });
      for (const expiresInHours of [0, -1, 1.5, 24 * 90 + 1, 'soon']) {
        expect((await t.http().post(`/v1/tracks/${job.track_ids[0]}/share`).set(auth).send({ expiresInHours }).expect(400)).body.code).toBe('validation_failed');
      }
    });
  });
});
