import { PLAYLISTS_PER_USER_MAX, type GenerationResponse, type PlaylistResponse, type PlaylistShareResponse, type PlaylistSummary, type SharedPlaylistResponse } from '@texttune/contracts';
import { DataSource } from 'typeorm';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';

type Auth = { Authorization: string };

describe('playlists', () => {
  let t: TestApp;
  let auth: Auth;
  let trackIds: string[];

  async function makeTracks(who: Auth, n: number): Promise<string[]> {
    const job = (await t.http().post('/v1/generations').set(who).send({ prompt: 'playlist material', duration: 1, variations: n }).expect(202)).body as GenerationResponse;
    return (await waitForStatus(t, who, job.job_id, ['succeeded'])).track_ids;
  }
  const create = async (who: Auth, title = 'My list') => (await t.http().post('/v1/playlists').set(who).send({ title }).expect(201)).body as PlaylistResponse;
  const order = (p: PlaylistResponse) => p.tracks.map((x) => x.id);
  const add = (who: Auth, id: string, trackId: string, position?: number) => t.http().post(`/v1/playlists/${id}/tracks`).set(who).send({ trackId, position });

  beforeAll(async () => {
    t = await startTestApp();
    auth = await signIn(t);
    trackIds = await makeTracks(auth, 4);
  });
  afterAll(() => t.close());

  it('creates, lists, renames and deletes a playlist; the tracks stay in the library', async () => {
    const created = await create(auth, '  작업할 때 듣는 음악  ');
    expect(created).toMatchObject({ title: '작업할 때 듣는 음악', track_count: 0, duration: 0, tracks: [] });
    await add(auth, created.id, trackIds[0]).expect(200);
    const listed = (await t.http().get('/v1/playlists').set(auth).expect(200)).body as { items: PlaylistSummary[] };
    expect(listed.items.find((p) => p.id === created.id)).toMatchObject({ title: '작업할 때 듣는 음악', track_count: 1, duration: 1 });

    const renamed = (await t.http().patch(`/v1/playlists/${created.id}`).set(auth).send({ title: 'Focus' }).expect(200)).body as PlaylistResponse;
    expect(renamed).toMatchObject({ title: 'Focus', track_count: 1 });
    expect(Date.parse(renamed.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.updated_at));

    await t.http().delete(`/v1/playlists/${created.id}`).set(auth).expect(204);
    await t.http().get(`/v1/playlists/${created.id}`).set(auth).expect(404);
    await t.http().delete(`/v1/playlists/${created.id}`).set(auth).expect(404);
    await t.http().get(`/v1/tracks/${trackIds[0]}`).set(auth).expect(200);
  });

  it('validates titles: 1–100 characters, any language', async () => {
    for (const title of ['', '   ', 'x'.repeat(101), 'tab\tinside', 42]) {
      expect((await t.http().post('/v1/playlists').set(auth).send({ title }).expect(400)).body.code).toBe('validation_failed');
    }
    await t.http().post('/v1/playlists').set(auth).send({ title: '가'.repeat(100) }).expect(201);
  });

  it('adds at the end or at a position, keeps each track once, and reorders atomically', async () => {
    const p = await create(auth);
    await add(auth, p.id, trackIds[0]).expect(200);
    await add(auth, p.id, trackIds[1]).expect(200);
    let now = (await add(auth, p.id, trackIds[2], 0).expect(200)).body as PlaylistResponse;
    expect(order(now)).toEqual([trackIds[2], trackIds[0], trackIds[1]]);
    now = (await add(auth, p.id, trackIds[3], 2).expect(200)).body as PlaylistResponse;
    expect(order(now)).toEqual([trackIds[2], trackIds[0], trackIds[3], trackIds[1]]);
    expect(now.track_count).toBe(4);

    const duplicate = await add(auth, p.id, trackIds[0]).expect(409);
    expect(duplicate.body).toMatchObject({ code: 'conflict', message: expect.stringContaining('already in the playlist') });

    const wanted = [trackIds[1], trackIds[3], trackIds[0], trackIds[2]];
    const reordered = (await t.http().put(`/v1/playlists/${p.id}/order`).set(auth).send({ trackIds: wanted }).expect(200)).body as PlaylistResponse;
    expect(order(reordered)).toEqual(wanted);
    expect(order((await t.http().get(`/v1/playlists/${p.id}`).set(auth).expect(200)).body as PlaylistResponse)).toEqual(wanted);

    // Not a permutation of the playlist: refused, and the order is untouched.
    for (const bad of [wanted.slice(1), [...wanted, wanted[0]], [wanted[0], wanted[0], wanted[1], wanted[2]], [...wanted.slice(1), '00000000-0000-4000-8000-000000000000']]) {
      expect((await t.http().put(`/v1/playlists/${p.id}/order`).set(auth).send({ trackIds: bad }).expect(409)).body.code).toBe('conflict');
    }
    expect((await t.http().put(`/v1/playlists/${p.id}/order`).set(auth).send({ trackIds: ['nope'] }).expect(400)).body.code).toBe('validation_failed');
    expect(order((await t.http().get(`/v1/playlists/${p.id}`).set(auth).expect(200)).body as PlaylistResponse)).toEqual(wanted);

    await t.http().delete(`/v1/playlists/${p.id}/tracks/${trackIds[3]}`).set(auth).expect(204);
    await t.http().delete(`/v1/playlists/${p.id}/tracks/${trackIds[3]}`).set(auth).expect(404);
    const after = (await add(auth, p.id, trackIds[3], 1).expect(200)).body as PlaylistResponse;
    expect(order(after)).toEqual([trackIds[1], trackIds[3], trackIds[0], trackIds[2]]);
  });

  it('keeps every position distinct under concurrent additions', async () => {
    const who = await signIn(t);
    const mine = await makeTracks(who, 4);
    const p = await create(who);
    const answers = await Promise.all(mine.map((id) => add(who, p.id, id, 0)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const final = (await t.http().get(`/v1/playlists/${p.id}`).set(who).expect(200)).body as PlaylistResponse;
    expect(new Set(order(final))).toEqual(new Set(mine));
    const positions = await t.app.get(DataSource).query<{ position: number }[]>(`SELECT position FROM playlist_tracks WHERE playlist_id = $1 ORDER BY position`, [p.id]);
    expect(new Set(positions.map((r) => r.position)).size).toBe(4);
  });

  it('removes a deleted track from every playlist', async () => {
    const [doomed] = await makeTracks(auth, 1);
    const a = await create(auth, 'A');
    const b = await create(auth, 'B');
    await add(auth, a.id, doomed).expect(200);
    await add(auth, a.id, trackIds[0]).expect(200);
    await add(auth, b.id, doomed).expect(200);
    await t.http().delete(`/v1/library/${doomed}`).set(auth).expect(204);
    expect(order((await t.http().get(`/v1/playlists/${a.id}`).set(auth).expect(200)).body as PlaylistResponse)).toEqual([trackIds[0]]);
    expect(((await t.http().get(`/v1/playlists/${b.id}`).set(auth).expect(200)).body as PlaylistResponse).track_count).toBe(0);
  });

  it('answers 404 for other users\u2019 playlists and for adding other users\u2019 tracks', async () => {
    const p = await create(auth);
    await add(auth, p.id, trackIds[0]).expect(200);
    const other = await signIn(t);
    const [theirs] = await makeTracks(other, 1);
    for (const [label, call] of [
      ['get', () => t.http().get(`/v1/playlists/${p.id}`)],
      ['rename', () => t.http().patch(`/v1/playlists/${p.id}`).send({ title: 'x' })],
      ['delete', () => t.http().delete(`/v1/playlists/${p.id}`)],
      ['add', () => t.http().post(`/v1/playlists/${p.id}/tracks`).send({ trackId: theirs })],
      ['remove', () => t.http().delete(`/v1/playlists/${p.id}/tracks/${trackIds[0]}`)],
      ['order', () => t.http().put(`/v1/playlists/${p.id}/order`).send({ trackIds: [trackIds[0]] })],
      ['share', () => t.http().post(`/v1/playlists/${p.id}/share`).send({})],
      ['shares', () => t.http().get(`/v1/playlists/${p.id}/shares`)],
    ] as const) {
      const res = await call().set(other);
      expect([label, res.status, res.body.code]).toEqual([label, 404, 'not_found']);
    }
    // My playlist, their track: 404 too (no existence leak).
    expect((await add(auth, p.id, theirs).expect(404)).body.code).toBe('not_found');
    expect((await t.http().get('/v1/playlists').set(other).expect(200)).body.items).toEqual([]);
  });

  it(`limits playlists per user (${PLAYLISTS_PER_USER_MAX}) and tracks per playlist with clear errors`, async () => {
    const who = await signIn(t);
    const db = t.app.get(DataSource);
    const userId = ((await t.http().get('/v1/me').set(who).expect(200)).body as { id: string }).id;
    await db.query(`INSERT INTO playlists (user_id, title) SELECT $1, 'p' || i FROM generate_series(1, $2 - 1) AS i`, [userId, PLAYLISTS_PER_USER_MAX]);
    await create(who, 'the last one allowed');
    const refused = await t.http().post('/v1/playlists').set(who).send({ title: 'one too many' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'limit_exceeded', details: { max: PLAYLISTS_PER_USER_MAX } });

    // A full playlist (1,000 tracks, made directly in the database).
    const [first] = await makeTracks(who, 1);
    const [full] = await db.query<{ id: string }[]>(`SELECT id FROM playlists WHERE user_id = $1 AND title = 'p1'`, [userId]);
    await db.query(
      `WITH made AS (
         INSERT INTO tracks (user_id, title, prompt_raw, engine, duration_seconds, sample_rate, channels, format, mime_type, size_bytes, storage_key)
         SELECT $1, 't' || i, 't', 'test', 1, 44100, 2, 'wav', 'audio/wav', 1, 'k/' || i || '.wav' FROM generate_series(1, 1000) AS i RETURNING id)
       INSERT INTO playlist_tracks (playlist_id, track_id, position) SELECT $2, id, row_number() OVER () FROM made`,
      [userId, full.id],
    );
    expect((await add(who, full.id, first).expect(409)).body).toMatchObject({ code: 'limit_exceeded', details: { max: 1000 } });
  });

  it('shares a playlist: a public link that plays only its tracks, until revoked', async () => {
    const p = await create(auth, '공유 플레이리스트');
    await add(auth, p.id, trackIds[1]).expect(200);
    await add(auth, p.id, trackIds[0]).expect(200);
    const share = (await t.http().post(`/v1/playlists/${p.id}/share`).set(auth).send({ expiresInHours: 1 }).expect(201)).body as PlaylistShareResponse;
    expect(share).toMatchObject({ playlist_id: p.id, url: expect.stringMatching(/^\/v1\/shared-playlists\//) });

    const shared = (await t.http().get(share.url).expect(200)).body as SharedPlaylistResponse;
    expect(shared.title).toBe('공유 플레이리스트');
    expect(shared.tracks.map((x) => x.id)).toEqual([trackIds[1], trackIds[0]]);
    expect(Object.keys(shared.tracks[0]).sort()).toEqual(['audio_url', 'download_url', 'duration', 'id', 'loudness', 'peaks_url', 'prompt_raw', 'title']);
    expect(shared.tracks[0].download_url).toBeNull(); // the link was made without allowDownload
    const audio = await t.http().get(shared.tracks[0].audio_url).set('Range', 'bytes=0-3').expect(206);
    expect(Buffer.from(audio.body as Buffer).toString()).toBe('RIFF');
    expect((await t.http().get(shared.tracks[0].peaks_url!).expect(200)).body.peaks).toHaveLength(1600);

    // A track not in the playlist is not reachable through its link, even the owner's.
    const token = share.url.split('/').at(-1)!;
    await t.http().get(`/v1/shared-playlists/${token}/tracks/${trackIds[3]}/stream`).expect(404);
    // A playlist token is not a track token, and the other way round.
    await t.http().get(`/v1/shared/${token}`).expect(404);

    expect(((await t.http().get(`/v1/playlists/${p.id}/shares`).set(auth).expect(200)).body as { items: unknown[] }).items).toHaveLength(1);
    await t.http().delete(`/v1/playlists/${p.id}/shares/${share.id}`).set(auth).expect(204);
    await t.http().get(share.url).expect(404);
    await t.http().get(shared.tracks[0].audio_url).expect(404);
  });
});
