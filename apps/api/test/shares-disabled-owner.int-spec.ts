import type { GenerationResponse, MeResponse, PlaylistResponse, PlaylistShareResponse, ShareResponse, SharedPlaylistResponse } from '@texttune/contracts';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

type Auth = { Authorization: string };

/**
 * The share links of a disabled account stop answering at once, exactly as a revoked
 * link does, and the ones still valid answer again when the account is enabled.
 */
describe('share links of a disabled account', () => {
  let t: TestApp;
  let boss: Auth;
  const engine = new TestEngine();

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAILS: 'boss@example.com', AUTH_RATE_LIMIT_PER_MINUTE: '1000' }, { engines: [engine] });
    boss = await signIn(t, 'boss@example.com');
  });
  afterAll(() => t.close());

  const setDisabled = (userId: string, disabled: boolean) => t.http().patch(`/v1/admin/users/${userId}`).set(boss).send({ disabled }).expect(200);

  it('track and playlist links (page, waveform, stream, playlist tracks) answer 404 while the owner is disabled, and again 200 once enabled', async () => {
    const owner = await signIn(t);
    const ownerId = ((await t.http().get('/v1/me').set(owner).expect(200)).body as MeResponse).id;
    const job = (await t.http().post('/v1/generations').set(owner).send({ prompt: 'shared song', duration: 1 }).expect(202)).body as GenerationResponse;
    const [trackId] = (await waitForStatus(t, owner, job.job_id, ['succeeded'])).track_ids;

    const trackShare = (await t.http().post(`/v1/tracks/${trackId}/share`).set(owner).send({ expiresInHours: 1 }).expect(201)).body as ShareResponse;
    const revokedShare = (await t.http().post(`/v1/tracks/${trackId}/share`).set(owner).send({ expiresInHours: 1 }).expect(201)).body as ShareResponse;
    await t.http().delete(`/v1/tracks/${trackId}/shares/${revokedShare.id}`).set(owner).expect(204);
    const playlist = (await t.http().post('/v1/playlists').set(owner).send({ title: 'shared list' }).expect(201)).body as PlaylistResponse;
    await t.http().post(`/v1/playlists/${playlist.id}/tracks`).set(owner).send({ trackId }).expect(200);
    const playlistShare = (await t.http().post(`/v1/playlists/${playlist.id}/share`).set(owner).send({ expiresInHours: 1 }).expect(201)).body as PlaylistShareResponse;
    const sharedPlaylist = (await t.http().get(playlistShare.url).expect(200)).body as SharedPlaylistResponse;
    const urls = [
      trackShare.url,
      `${trackShare.url}/peaks`,
      trackShare.audio_url,
      playlistShare.url,
      sharedPlaylist.tracks[0].audio_url,
      sharedPlaylist.tracks[0].peaks_url!,
    ];
    const statuses = async () => Promise.all(urls.map(async (url) => (await t.http().get(url)).status));
    expect(await statuses()).toEqual([200, 200, 200, 200, 200, 200]);
    const revoked = await t.http().get(revokedShare.url).expect(404);

    await setDisabled(ownerId, true);
    // The very next request: no delay, no cache in the way.
    for (const url of urls) {
      const res = await t.http().get(url);
      expect([url, res.status]).toEqual([url, 404]);
      // Indistinguishable from a revoked link: same code, same sentence.
      expect({ code: res.body.code, message: res.body.message }).toEqual({ code: revoked.body.code, message: revoked.body.message });
    }
    // The owner's own sessions end too (the admin API's existing rule).
    await t.http().get('/v1/me').set(owner).expect(401);

    await setDisabled(ownerId, false);
    expect(await statuses()).toEqual([200, 200, 200, 200, 200, 200]);
    const audio = await t.http().get(trackShare.audio_url).set('Range', 'bytes=0-3').expect(206);
    expect(audio.headers['content-range']).toMatch(/^bytes 0-3\//);
    // A link revoked before the account was disabled stays revoked.
    await t.http().get(revokedShare.url).expect(404);
  });

  it('another account\u2019s links keep working while one account is disabled', async () => {
    const [disabled, other] = [await signIn(t), await signIn(t)];
    const shareOf = async (who: Auth) => {
      const job = (await t.http().post('/v1/generations').set(who).send({ prompt: 'a song', duration: 1 }).expect(202)).body as GenerationResponse;
      const [trackId] = (await waitForStatus(t, who, job.job_id, ['succeeded'])).track_ids;
      return (await t.http().post(`/v1/tracks/${trackId}/share`).set(who).send({}).expect(201)).body as ShareResponse;
    };
    const [disabledShare, otherShare] = [await shareOf(disabled), await shareOf(other)];
    await setDisabled(((await t.http().get('/v1/me').set(disabled).expect(200)).body as MeResponse).id, true);
    await t.http().get(disabledShare.url).expect(404);
    await t.http().get(otherShare.url).expect(200);
    await t.http().get(otherShare.audio_url).expect(200);
  });
});
