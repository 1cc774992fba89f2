import type { GenerationResponse, LibraryResponse, ShareResponse, SharedTrackResponse } from '@texttune/contracts';
import { DataSource } from 'typeorm';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

describe('share links that offer a download', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  let trackId: string;

  beforeAll(async () => {
    t = await startTestApp({}, { engines: [new TestEngine()] });
    auth = await signIn(t);
    const job = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'a song to keep', duration: 1 }).expect(202)).body as GenerationResponse;
    trackId = (await waitForStatus(t, auth, job.job_id, ['succeeded'])).track_ids[0];
  });
  afterAll(() => t.close());

  const share = async (body: Record<string, unknown>) => (await t.http().post(`/v1/tracks/${trackId}/share`).set(auth).send(body).expect(201)).body as ShareResponse;

  it('plays only, by default: no download URL and 403 download_not_allowed', async () => {
    const link = await share({});
    expect(link.allow_download).toBe(false);
    const shared = (await t.http().get(link.url).expect(200)).body as SharedTrackResponse;
    expect(shared.download_url).toBeNull();
    const refused = await t.http().get(`${link.url}/download`).expect(403);
    expect(refused.body.code).toBe('download_not_allowed');
    expect(refused.body.message).toMatch(/did not allow downloads/);
    await t.http().get(link.audio_url).expect(200); // still plays
  });

  it('offers the audio as an attachment when the owner allows it, until the link is revoked', async () => {
    const link = await share({ allowDownload: true, expiresInHours: 1 });
    expect(link.allow_download).toBe(true);
    const listed = (await t.http().get(`/v1/tracks/${trackId}/shares`).set(auth).expect(200)).body as { items: ShareResponse[] };
    expect(listed.items.find((s) => s.id === link.id)?.allow_download).toBe(true);
    const shared = (await t.http().get(link.url).expect(200)).body as SharedTrackResponse;
    expect(shared.download_url).toBe(`${link.url}/download`);
    const wav = await t.http().get(shared.download_url!).buffer(true).expect(200);
    expect(wav.headers['content-type']).toBe('audio/wav');
    expect(wav.headers['content-disposition']).toMatch(/^attachment; filename="a song to keep.*\.wav"/);
    expect((wav.body as Buffer).subarray(0, 4).toString('latin1')).toBe('RIFF');
    const mp3 = await t.http().get(`${shared.download_url}?format=mp3`).buffer(true).expect(200);
    expect(mp3.headers['content-disposition']).toMatch(/^attachment; .*\.mp3"/);
    await t.http().delete(`/v1/tracks/${trackId}/shares/${link.id}`).set(auth).expect(204);
    expect((await t.http().get(shared.download_url!).expect(404)).body.code).toBe('not_found');
  });

  it('refuses an allowDownload that is not a boolean', async () => {
    const refused = await t.http().post(`/v1/tracks/${trackId}/share`).set(auth).send({ allowDownload: 'yes' }).expect(400);
    expect(refused.body.code).toBe('validation_failed');
  });

  it('marks loop tracks in the library and on their share page', async () => {
    await t.app.get(DataSource).query(`UPDATE tracks SET params = params || '{"loop": true}'::jsonb WHERE id = $1`, [trackId]);
    const page = (await t.http().get('/v1/library').set(auth).expect(200)).body as LibraryResponse;
    expect(page.items.find((i) => i.id === trackId)?.loop).toBe(true);
    const shared = (await t.http().get((await share({})).url).expect(200)).body as SharedTrackResponse;
    expect(shared.loop).toBe(true);
  });
});
