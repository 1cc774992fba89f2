import type { GenerationResponse, PlaylistResponse, PlaylistShareResponse, SharedPlaylistResponse } from '@texttune/contracts';
import { DataSource } from 'typeorm';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

describe('playlist share links that offer downloads', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  let playlistId: string;
  const trackIds: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({}, { engines: [new TestEngine()] });
    auth = await signIn(t);
    for (const prompt of ['a song to keep', 'a loop to keep']) {
      const job = (await t.http().post('/v1/generations').set(auth).send({ prompt, duration: 1 }).expect(202)).body as GenerationResponse;
      trackIds.push((await waitForStatus(t, auth, job.job_id, ['succeeded'])).track_ids[0]);
    }
    await t.app.get(DataSource).query(`UPDATE tracks SET params = params || '{"loop": true}'::jsonb WHERE id = $1`, [trackIds[1]]);
    playlistId = ((await t.http().post('/v1/playlists').set(auth).send({ title: 'Kept' }).expect(201)).body as PlaylistResponse).id;
    for (const trackId of trackIds) await t.http().post(`/v1/playlists/${playlistId}/tracks`).set(auth).send({ trackId }).expect(200);
  });
  afterAll(() => t.close());

  const share = async (body: Record<string, unknown>) => (await t.http().post(`/v1/playlists/${playlistId}/share`).set(auth).send(body).expect(201)).body as PlaylistShareResponse;

  it('plays only, by default: no download URLs and 403 download_not_allowed', async () => {
    const link = await share({});
    expect(link.allow_download).toBe(false);
    const shared = (await t.http().get(link.url).expect(200)).body as SharedPlaylistResponse;
    expect(shared.tracks.map((track) => track.download_url)).toEqual([null, null]);
    const refused = await t.http().get(`${link.url}/tracks/${trackIds[0]}/download`).expect(403);
    expect(refused.body.code).toBe('download_not_allowed');
    expect(refused.body.message).toMatch(/did not allow downloads/);
    await t.http().get(shared.tracks[0].audio_url).expect(200); // still plays
  });

  it('offers each track as an attachment when the owner allows it, until the link is revoked', async () => {
    const link = await share({ allowDownload: true, expiresInHours: 1 });
    expect(link.allow_download).toBe(true);
    const listed = (await t.http().get(`/v1/playlists/${playlistId}/shares`).set(auth).expect(200)).body as { items: PlaylistShareResponse[] };
    expect(listed.items.find((s) => s.id === link.id)?.allow_download).toBe(true);
    const shared = (await t.http().get(link.url).expect(200)).body as SharedPlaylistResponse;
    expect(shared.tracks.map((track) => track.download_url)).toEqual(trackIds.map((id) => `${link.url}/tracks/${id}/download`));
    const wav = await t.http().get(shared.tracks[0].download_url!).buffer(true).expect(200);
    expect(wav.headers['content-type']).toBe('audio/wav');
    expect(wav.headers['content-disposition']).toMatch(/^attachment; filename="a song to keep.*\.wav"/);
    expect((wav.body as Buffer).subarray(0, 4).toString('latin1')).toBe('RIFF');
    const mp3 = await t.http().get(`${shared.tracks[1].download_url}?format=mp3`).buffer(true).expect(200);
    expect(mp3.headers['content-disposition']).toMatch(/^attachment; .*\.mp3"/);
    // a track of the owner's that is not in the playlist is not reachable through it
    const job = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'not in the list', duration: 1 }).expect(202)).body as GenerationResponse;
    const outside = (await waitForStatus(t, auth, job.job_id, ['succeeded'])).track_ids[0];
    expect((await t.http().get(`${link.url}/tracks/${outside}/download`).expect(404)).body.code).toBe('not_found');
    await t.http().delete(`/v1/playlists/${playlistId}/shares/${link.id}`).set(auth).expect(204);
    expect((await t.http().get(shared.tracks[0].download_url!).expect(404)).body.code).toBe('not_found');
  });

  it('marks the loop tracks of a shared playlist', async () => {
    const shared = (await t.http().get((await share({})).url).expect(200)).body as SharedPlaylistResponse;
    expect(shared.tracks.map((track) => track.loop)).toEqual([undefined, true]);
  });

  it('refuses an allowDownload that is not a boolean', async () => {
    const refused = await t.http().post(`/v1/playlists/${playlistId}/share`).set(auth).send({ allowDownload: 'yes' }).expect(400);
    expect(refused.body.code).toBe('validation_failed');
  });
});
