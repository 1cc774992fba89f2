import type { AdminEngineListResponse, AdminJob, AdminJobListResponse, AdminUser, AdminUserListResponse, AuditListResponse, CreatedApiTokenResponse, GenerationResponse, MeResponse } from '@texttune/contracts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { EngineError } from '../src/engines/music-engine';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

type Auth = { Authorization: string };

describe('admin API', () => {
  let t: TestApp;
  const engine = new TestEngine('test');
  let boss: Auth;
  let bossId: string;

  beforeAll(async () => {
    // Many accounts sign in here; the sign-in rate limit has its own test (auth.int-spec).
    t = await startTestApp({ ADMIN_EMAILS: 'boss@example.com', MAX_ACTIVE_JOBS_PER_USER: '5', AUTH_RATE_LIMIT_PER_MINUTE: '1000' }, { engines: [engine] });
    boss = await signIn(t, 'boss@example.com');
    bossId = ((await t.http().get('/v1/me').set(boss).expect(200)).body as MeResponse).id;
  });
  afterAll(() => t.close());

  const me = async (auth: Auth) => (await t.http().get('/v1/me').set(auth).expect(200)).body as MeResponse;
  const patch = (id: string, body: object, auth: Auth = boss) => t.http().patch(`/v1/admin/users/${id}`).set(auth).set('User-Agent', 'admin-tests/1').send(body);
  const token = async (auth: Auth, scopes?: string[]) => ({ Authorization: `Bearer ${((await t.http().post('/v1/tokens').set(auth).send({ name: 'script', scopes }).expect(201)).body as CreatedApiTokenResponse).token}` });
  const audit = async (query = '') => ((await t.http().get(`/v1/admin/audit${query}`).set(boss).expect(200)).body as AuditListResponse).items;

  describe('role checks on every route', () => {
    const id = '00000000-0000-4000-8000-000000000000';
    // (every row has three items: with fewer, jest would pass its done callback as the body)
    const routes: [string, string, object | null][] = [
      ['get', '/v1/admin/users', null],
      ['get', `/v1/admin/users/${id}`, null],
      ['patch', `/v1/admin/users/${id}`, { disabled: true }],
      ['delete', `/v1/admin/users/${id}`, null],
      ['get', '/v1/admin/jobs', null],
      ['post', `/v1/admin/jobs/${id}/retry`, null],
      ['get', '/v1/admin/engines', null],
      ['get', '/v1/admin/audit', null],
    ];
    const call = (method: string, path: string, body: object | null) => {
      const agent = t.http();
      const req = method === 'get' ? agent.get(path) : method === 'post' ? agent.post(path) : method === 'delete' ? agent.delete(path) : agent.patch(path);
      return body ? req.send(body) : req;
    };

    it.each(routes)('%s %s: 401 signed out, 403 for a user (session or API token), allowed for an admin', async (method, path, body) => {
      expect((await call(method, path, body)).status).toBe(401);
      const user = await signIn(t);
      const denied = await call(method, path, body).set(user);
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({ statusCode: 403, code: 'forbidden' });
      expect((await call(method, path, body).set(await token(user))).status).toBe(403);
      expect([200, 404]).toContain((await call(method, path, body).set(boss)).status);
      expect([200, 404]).toContain((await call(method, path, body).set(await token(boss, ['admin']))).status);
    });

    it('leaves no audit entry for refused or failed actions', async () => {
      expect(await audit()).toEqual([]);
    });
  });

  describe('users', () => {
    it('lists accounts with usage (tracks, audio seconds today, active jobs) and quota', async () => {
      const auth = await signIn(t, 'maker@example.com');
      const job = await t.http().post('/v1/generations').set(auth).send({ prompt: 'lofi beat', duration: 2, variations: 2 }).expect(202);
      await waitForStatus(t, auth, job.body.job_id, ['succeeded']);
      const list = (await t.http().get('/v1/admin/users?q=MAKER@').set(boss).expect(200)).body as AdminUserListResponse;
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({
        email: 'maker@example.com',
        role: 'user',
        roleFromConfig: false,
        disabled: false,
        usage: { tracks: 2, audioSecondsToday: 4, activeJobs: 0 },
        quota: { dailySeconds: null, maxActiveJobs: null },
        effectiveQuota: { dailySeconds: 0, maxActiveJobs: 5 },
        sso: [],
      });
      expect(list.items[0].lastSignInAt).not.toBeNull();
      const bossRow = (await t.http().get(`/v1/admin/users/${bossId}`).set(boss).expect(200)).body as AdminUser;
      expect(bossRow).toMatchObject({ role: 'admin', roleFromConfig: true });
    });

    it('pages newest first with a cursor', async () => {
      for (let i = 0; i < 3; i++) await signIn(t, `page${i}@example.com`);
      const first = (await t.http().get('/v1/admin/users?q=page&limit=2').set(boss).expect(200)).body as AdminUserListResponse;
      expect(first.items.map((u) => u.email)).toEqual(['page2@example.com', 'page1@example.com']);
      const second = (await t.http().get(`/v1/admin/users?q=page&limit=2&cursor=${first.nextCursor}`).set(boss).expect(200)).body as AdminUserListResponse;
      expect(second.items.map((u) => u.email)).toEqual(['page0@example.com']);
      expect(second.nextCursor).toBeNull();
      await t.http().get('/v1/admin/users?limit=0').set(boss).expect(400);
      await t.http().get('/v1/admin/users/not-a-uuid').set(boss).expect(404);
    });

    it('promotes and demotes with immediate effect on existing sessions; the role survives the next sign-in', async () => {
      const auth = await signIn(t, 'promoted@example.com');
      const { id } = await me(auth);
      await t.http().get('/v1/admin/users').set(auth).expect(403);
      const promoted = await patch(id, { role: 'admin' }).expect(200);
      expect(promoted.body).toMatchObject({ id, role: 'admin' });
      await t.http().get('/v1/admin/users').set(auth).expect(200);
      // signing in again keeps the role an admin gave (ADMIN_EMAILS does not name this account)
      const again = await signIn(t, 'promoted@example.com');
      expect((await me(again)).role).toBe('admin');
      await patch(id, { role: 'user' }).expect(200);
      await t.http().get('/v1/admin/users').set(auth).expect(403);
      await t.http().get('/v1/admin/users').set(again).expect(403);

      const entries = await audit(`?targetId=${id}`);
      expect(entries.map((e) => [e.action, e.details])).toEqual([
        ['user.role_changed', { from: 'admin', to: 'user' }],
        ['user.role_changed', { from: 'user', to: 'admin' }],
      ]);
      expect(entries[0]).toMatchObject({ actor: { id: bossId, email: 'boss@example.com' }, target: { type: 'user', id }, userAgent: 'admin-tests/1' });
      expect(entries[0].ip).toMatch(/127\.0\.0\.1/);
      expect(entries[0].requestId).toEqual(expect.any(String));
    });

    it('refuses to demote or disable oneself, or to demote an ADMIN_EMAILS admin', async () => {
      expect((await patch(bossId, { role: 'user' }).expect(409)).body.code).toBe('conflict');
      await patch(bossId, { disabled: true }).expect(409);
      const other = await signIn(t);
      const otherId = (await me(other)).id;
      await patch(otherId, { role: 'admin' }).expect(200);
      // another admin cannot demote the configured one either
      const res = await patch(bossId, { role: 'user' }, other).expect(409);
      expect(res.body.message).toMatch(/ADMIN_EMAILS/);
      expect((await me(boss)).role).toBe('admin');
      await patch(otherId, { role: 'user' }).expect(200);
    });

    it('disabling stops the user\u2019s sessions and API tokens at once; enabling lets them sign in again', async () => {
      const session = await signIn(t, 'disabled@example.com');
      const api = await token(session);
      const { id } = await me(session);
      await t.http().get('/v1/me').set(api).expect(200);

      const res = await patch(id, { disabled: true }).expect(200);
      expect(res.body).toMatchObject({ disabled: true, disabledAt: expect.any(String) });
      expect((await t.http().get('/v1/me').set(session).expect(401)).body.code).toBe('unauthorized');
      await t.http().get('/v1/me').set(api).expect(401);
      await t.http().post('/v1/generations').set(api).send({ prompt: 'x' }).expect(401);
      const login = await t.http().post('/v1/auth/login').send({ email: 'disabled@example.com' }).expect(403);
      expect(login.body.code).toBe('account_disabled');

      await patch(id, { disabled: false }).expect(200);
      const back = await signIn(t, 'disabled@example.com');
      await t.http().get('/v1/me').set(back).expect(200);
      // what was ended stays ended
      await t.http().get('/v1/me').set(session).expect(401);
      await t.http().get('/v1/me').set(api).expect(401);

      const entries = await audit(`?targetId=${id}`);
      expect(entries.map((e) => e.action)).toEqual(['user.enabled', 'user.disabled']);
      expect(entries[1].details).toEqual({ sessionsEnded: 1, tokensRevoked: 1 });
      const filtered = await audit('?action=user.disabled');
      expect(filtered.every((e) => e.action === 'user.disabled')).toBe(true);
    });

    it('deletes an account with everything it owns, files included, and audits it', async () => {
      const leaver = await signIn(t, 'leaver@example.com');
      const api = await token(leaver);
      const { id } = await me(leaver);
      const job = (await t.http().post('/v1/generations').set(leaver).send({ prompt: 'farewell piano', duration: 1, variations: 2 }).expect(202)).body as GenerationResponse;
      const done = await waitForStatus(t, leaver, job.job_id, ['succeeded']);
      const [trackId] = done.track_ids;
      // an MP3 rendition, a reference upload, a playlist and a share link: all the user's
      await t.http().get(`/v1/stream/${trackId}?format=mp3`).set(leaver).expect(200);
      const wav = (await t.http().get(`/v1/download/${trackId}`).set(leaver).buffer(true).expect(200)).body as Buffer;
      await t.http().post('/v1/references').set(leaver).attach('file', wav, 'melody.wav').expect(201);
      const playlist = (await t.http().post('/v1/playlists').set(leaver).send({ title: 'Last days' }).expect(201)).body as { id: string };
      await t.http().post(`/v1/playlists/${playlist.id}/tracks`).set(leaver).send({ trackId }).expect(200);
      const share = (await t.http().post(`/v1/tracks/${trackId}/share`).set(leaver).send({}).expect(201)).body as { url: string };

      const db = t.app.get(DataSource);
      const stored = async (userId: string) =>
        (
          await db.query<{ key: string }[]>(
            `SELECT storage_key AS key FROM tracks WHERE user_id = $1 UNION ALL SELECT r.value->>'key' FROM tracks t, jsonb_each(t.renditions) r WHERE t.user_id = $1 UNION ALL SELECT storage_key FROM "references" WHERE user_id = $1`,
            [userId],
          )
        ).map((row) => path.join(t.config.storageDir, row.key));
      const files = await stored(id);
      expect(files).toHaveLength(4); // two takes, one MP3, one reference
      expect(files.every((file) => existsSync(file))).toBe(true);

      await t.http().delete(`/v1/admin/users/${id}`).set(boss).set('User-Agent', 'admin-tests/1').expect(204);
      // the files go in the background, right after the answer, and leave the outbox empty
      const outbox = async () => (await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM storage_garbage WHERE key LIKE $1 || '/%'`, [id]))[0].n;
      for (const deadline = Date.now() + 5000; (await outbox()) > 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
      expect(await outbox()).toBe(0);
      expect(files.filter((file) => existsSync(file))).toEqual([]);
      await t.http().get('/v1/me').set(leaver).expect(401);
      await t.http().get('/v1/me').set(api).expect(401);
      await t.http().get(share.url).expect(404);
      await t.http().get(`/v1/admin/users/${id}`).set(boss).expect(404);
      const left = await db.query<{ n: number }[]>(
        `SELECT (SELECT count(*) FROM tracks WHERE user_id = $1)::int + (SELECT count(*) FROM generations WHERE user_id = $1)::int + (SELECT count(*) FROM playlists WHERE user_id = $1)::int
              + (SELECT count(*) FROM "references" WHERE user_id = $1)::int + (SELECT count(*) FROM sessions WHERE user_id = $1)::int AS n`,
        [id],
      );
      expect(left[0].n).toBe(0);
      await t.http().delete(`/v1/admin/users/${id}`).set(boss).expect(404);

      const [entry] = await audit(`?targetId=${id}`);
      expect(entry).toMatchObject({ action: 'user.deleted', actor: { id: bossId }, details: { email: 'leaver@example.com', tracks: 2, files: 4 } });
      // the same address can sign up again, as a new account
      expect((await me(await signIn(t, 'leaver@example.com'))).id).not.toBe(id);
    });

    it('refuses to delete oneself or an ADMIN_EMAILS admin', async () => {
      expect((await t.http().delete(`/v1/admin/users/${bossId}`).set(boss).expect(409)).body.message).toMatch(/your own account/);
      const other = await signIn(t);
      const otherId = (await me(other)).id;
      await patch(otherId, { role: 'admin' }).expect(200);
      expect((await t.http().delete(`/v1/admin/users/${bossId}`).set(other).expect(409)).body.message).toMatch(/ADMIN_EMAILS/);
      await t.http().get('/v1/me').set(boss).expect(200);
      await patch(otherId, { role: 'user' }).expect(200);
    });

    it('sets per-user quota overrides that apply at once, and back to the defaults', async () => {
      const auth = await signIn(t, 'quota@example.com');
      const { id } = await me(auth);
      const set = await patch(id, { quota: { dailySeconds: 3 } }).expect(200);
      expect(set.body).toMatchObject({ quota: { dailySeconds: 3, maxActiveJobs: null }, effectiveQuota: { dailySeconds: 3, maxActiveJobs: 5 } });
      const refused = await t.http().post('/v1/generations').set(auth).send({ prompt: 'too long', duration: 4 }).expect(429);
      expect(refused.body).toMatchObject({ code: 'quota_exceeded', details: { quota_seconds: 3 } });
      const job = await t.http().post('/v1/generations').set(auth).send({ prompt: 'fits', duration: 3 }).expect(202);
      await waitForStatus(t, auth, job.body.job_id, ['succeeded']);
      await t.http().post('/v1/generations').set(auth).send({ prompt: 'over', duration: 1 }).expect(429);

      await patch(id, { quota: { maxActiveJobs: 1 } }).expect(200); // dailySeconds kept
      const both = (await t.http().get(`/v1/admin/users/${id}`).set(boss).expect(200)).body as AdminUser;
      expect(both.quota).toEqual({ dailySeconds: 3, maxActiveJobs: 1 });
      await patch(id, { quota: { dailySeconds: null, maxActiveJobs: null } }).expect(200);
      await t.http().post('/v1/generations').set(auth).send({ prompt: 'fine again', duration: 1 }).expect(202);

      const entries = await audit(`?targetId=${id}&action=user.quota_changed`);
      expect(entries.map((e) => e.details)).toEqual([
        { from: { dailySeconds: 3, maxActiveJobs: 1 }, to: { dailySeconds: null, maxActiveJobs: null } },
        { from: { dailySeconds: 3, maxActiveJobs: null }, to: { dailySeconds: 3, maxActiveJobs: 1 } },
        { from: { dailySeconds: null, maxActiveJobs: null }, to: { dailySeconds: 3, maxActiveJobs: null } },
      ]);
      const invalid = await patch(id, { quota: { dailySeconds: -1, maxActiveJobs: 0 }, role: 'owner' }).expect(400);
      expect(Object.keys(invalid.body.details.fields).sort()).toEqual(['quota.dailySeconds', 'quota.maxActiveJobs', 'role']);
      await patch('00000000-0000-4000-8000-000000000000', { disabled: true }).expect(404);
    });
  });

  describe('jobs', () => {
    let failed: AdminJob;
    let owner: Auth;

    it('lists jobs across users, filtered by status, with owner and attempts', async () => {
      owner = await signIn(t, 'failing@example.com');
      engine.behaviour.failures = [new EngineError('engine_error', 'the test engine broke', false)];
      const job = await t.http().post('/v1/generations').set(owner).send({ prompt: 'doomed', duration: 1 }).expect(202);
      await waitForStatus(t, owner, job.body.job_id, ['failed']);

      const list = (await t.http().get('/v1/admin/jobs?status=failed').set(boss).expect(200)).body as AdminJobListResponse;
      failed = list.items.find((j) => j.job_id === job.body.job_id)!;
      expect(failed).toMatchObject({ status: 'failed', user: { email: 'failing@example.com' }, attempts: 1, error: { code: 'engine_error', message: 'the test engine broke' } });
      expect(list.items.every((j) => j.status === 'failed')).toBe(true);

      const all = (await t.http().get('/v1/admin/jobs?limit=100').set(boss).expect(200)).body as AdminJobListResponse;
      expect(new Set(all.items.map((j) => j.user.email)).size).toBeGreaterThan(1);
      const sorted = [...all.items].sort((a, b) => b.created_at.localeCompare(a.created_at));
      expect(all.items.map((j) => j.job_id)).toEqual(sorted.map((j) => j.job_id));
      const byUser = (await t.http().get(`/v1/admin/jobs?userId=${failed.user.id}`).set(boss).expect(200)).body as AdminJobListResponse;
      expect(byUser.items.map((j) => j.job_id)).toEqual([failed.job_id]);
      const page = (await t.http().get('/v1/admin/jobs?limit=1').set(boss).expect(200)).body as AdminJobListResponse;
      const next = (await t.http().get(`/v1/admin/jobs?limit=1&cursor=${page.next_cursor}`).set(boss).expect(200)).body as AdminJobListResponse;
      expect(next.items[0].job_id).toBe(all.items[1].job_id);
      await t.http().get('/v1/admin/jobs?status=broken').set(boss).expect(400);
    });

    it('retries a failed job: queued again with the same request, then it succeeds for its owner', async () => {
      const res = await t.http().post(`/v1/admin/jobs/${failed.job_id}/retry`).set(boss).expect(202);
      expect(res.body).toMatchObject({ job_id: failed.job_id, status: 'queued', error: null, attempts: 0, user: { email: 'failing@example.com' }, params: failed.params });
      const done = await waitForStatus(t, owner, failed.job_id, ['succeeded', 'failed']);
      expect(done.status).toBe('succeeded');
      expect(done.track_ids).toHaveLength(1);

      const again = await t.http().post(`/v1/admin/jobs/${failed.job_id}/retry`).set(boss).expect(409);
      expect(again.body.message).toMatch(/succeeded/);
      await t.http().post('/v1/admin/jobs/00000000-0000-4000-8000-000000000000/retry').set(boss).expect(404);
      const entries = await audit(`?action=job.retried`);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ target: { type: 'job', id: failed.job_id }, details: { userId: failed.user.id, engine: 'test' }, actor: { email: 'boss@example.com' } });
    });
  });

  it('gives an engines overview: readiness, jobs by status, latency and errors by code, and the queue', async () => {
    const res = (await t.http().get('/v1/admin/engines').set(boss).expect(200)).body as AdminEngineListResponse;
    expect(res.queue).toMatchObject({ driver: 'in-process', waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number) });
    const test = res.items.find((e) => e.id === 'test')!;
    expect(test).toMatchObject({ ready: true, kind: 'test', stats: { windowHours: 24 } });
    expect(test.stats.jobs.succeeded).toBeGreaterThanOrEqual(3);
    expect(test.stats.latency).toMatchObject({ avgSeconds: expect.any(Number), p50Seconds: expect.any(Number), p95Seconds: expect.any(Number), maxSeconds: expect.any(Number) });
    expect(test.stats.secondsPerAudioSecond).toEqual(expect.any(Number));
    // the failed job was retried (no longer failed), so no errors remain in the window
    expect(test.stats.errors).toEqual([]);
  });

  it('reads the audit log newest first, with pages', async () => {
    const all = await audit();
    expect(all.length).toBeGreaterThanOrEqual(8);
    const times = all.map((e) => e.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const first = (await t.http().get('/v1/admin/audit?limit=2').set(boss).expect(200)).body as AuditListResponse;
    const second = (await t.http().get(`/v1/admin/audit?limit=2&cursor=${first.nextCursor}`).set(boss).expect(200)).body as AuditListResponse;
    expect([...first.items, ...second.items].map((e) => e.id)).toEqual(all.slice(0, 4).map((e) => e.id));
    const byActor = (await t.http().get(`/v1/admin/audit?actorId=${bossId}`).set(boss).expect(200)).body as AuditListResponse;
    expect(byActor.items.every((e) => e.actor.id === bossId)).toBe(true);
    await t.http().get('/v1/admin/audit?action=user.exploded').set(boss).expect(400);
  });
});
