import type { AdminInvite, AdminInviteListResponse, AuditListResponse, AuthConfigResponse, AuthResponse } from '@texttune/contracts';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { hashPassword } from '../src/auth/password-hash';
import { startTestApp, type TestApp } from './support/test-app';

type Auth = { Authorization: string };

const ADMIN = { email: 'boss@example.com', password: 'boss has a long passphrase' };
// Many accounts sign up here; the sign-in rate limit has its own test (auth.int-spec).
const BASE_ENV = { AUTH_MODE: 'password', ADMIN_EMAILS: ADMIN.email, AUTH_RATE_LIMIT_PER_MINUTE: '1000' };

const register = (t: TestApp, body: Record<string, unknown>) => t.http().post('/v1/auth/register').send(body);
const authConfig = async (t: TestApp) => (await t.http().get('/v1/auth/config').expect(200)).body as AuthConfigResponse;
const bearer = (res: { body: AuthResponse }): Auth => ({ Authorization: `Bearer ${res.body.accessToken}` });

/** An account made the way an administrator or an older release would: straight in the database, with its own password. */
async function insertPasswordAccount(t: TestApp, email: string, password: string): Promise<void> {
  await t.app.get(DataSource).query(`INSERT INTO users (email, password_hash) VALUES ($1, $2)`, [email, await hashPassword(password)]);
}

describe('REGISTRATION=open: the password policy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(BASE_ENV);
  }, 30_000);
  afterAll(() => t.close());

  it('says sign-up is open', async () => {
    expect(await authConfig(t)).toMatchObject({ registration: 'open', methods: { register: true } });
  });

  it.each([
    ['12345678', 'min_length', /at least 10 characters/],
    ['short pw', 'min_length', /at least 10 characters/],
    ['1234567890', 'common_password', /most common passwords/],
    ['password123', 'common_password', /most common passwords/],
    ['PassWord123', 'common_password', /most common passwords/],
    ['qwertyuiop', 'common_password', /most common passwords/],
    ['maximilian.mustermann', 'email', /email address or its name part/],
    ['Maximilian.Mustermann@Example.com', 'email', /email address or its name part/],
  ])('refuses %j with 400 weak_password (%s) and creates nothing', async (password, rule, sentence) => {
    const res = await register(t, { email: 'maximilian.mustermann@example.com', password }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'weak_password', message: expect.stringMatching(sentence), details: { rule, minLength: 10 } });
    await t.http().post('/v1/auth/login').send({ email: 'maximilian.mustermann@example.com', password }).expect(401);
  });

  it('accepts a long, uncommon password that is not the email', async () => {
    const res = await register(t, { email: 'maximilian.mustermann@example.com', password: 'violet tram at dawn' }).expect(201);
    await t.http().get('/v1/me').set(bearer(res)).expect(200);
  });

  it('lets an account whose password predates the policy sign in', async () => {
    await insertPasswordAccount(t, 'old-timer@example.com', '12345678');
    await t.http().post('/v1/auth/login').send({ email: 'old-timer@example.com', password: '12345678' }).expect(200);
  });
});

describe('REGISTRATION=closed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...BASE_ENV, REGISTRATION: 'closed' });
  }, 30_000);
  afterAll(() => t.close());

  it('tells the web client to hide sign-up, refuses it with 403 registration_closed, and existing accounts still sign in', async () => {
    expect(await authConfig(t)).toMatchObject({ mode: 'password', registration: 'closed', methods: { password: true, register: false } });
    const refused = await register(t, { email: 'new@example.com', password: 'violet tram at dawn' }).expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'registration_closed', message: expect.stringMatching(/REGISTRATION=closed/) });
    // An admin listed in ADMIN_EMAILS gets no way around it either.
    expect((await register(t, ADMIN).expect(403)).body.code).toBe('registration_closed');
    await t.http().post('/v1/auth/login').send({ email: 'new@example.com', password: 'violet tram at dawn' }).expect(401);
    await insertPasswordAccount(t, 'existing@example.com', 'an older password');
    await t.http().post('/v1/auth/login').send({ email: 'existing@example.com', password: 'an older password' }).expect(200);
  });
});

describe('REGISTRATION=invite', () => {
  let t: TestApp;
  let boss: Auth;

  beforeAll(async () => {
    t = await startTestApp({ ...BASE_ENV, REGISTRATION: 'invite' });
    await insertPasswordAccount(t, ADMIN.email, ADMIN.password);
    boss = bearer(await t.http().post('/v1/auth/login').send(ADMIN).expect(200));
  }, 30_000);
  afterAll(() => t.close());

  const invite = async (body: Record<string, unknown> = {}) => (await t.http().post('/v1/admin/invites').set(boss).send(body).expect(201)).body as AdminInvite;

  it('says sign-up needs an invite, and refuses it without one (403 invite_required)', async () => {
    expect(await authConfig(t)).toMatchObject({ registration: 'invite', methods: { register: true } });
    const res = await register(t, { email: 'nobody@example.com', password: 'violet tram at dawn' }).expect(403);
    expect(res.body).toMatchObject({ code: 'invite_required', message: expect.stringMatching(/invite code/) });
  });

  it('an admin invites; the code creates one account, once', async () => {
    const made = await invite({ expiresInHours: 24 });
    expect(made).toMatchObject({ email: null, usedAt: null, revokedAt: null, code: expect.stringMatching(/^tti_[A-Za-z0-9_-]{32}$/) });
    expect(made.url).toBe(`/signin?invite=${made.code}`);
    expect(Date.parse(made.expiresAt) - Date.parse(made.createdAt)).toBe(24 * 3600_000);

    // A weak password does not use the invite up.
    expect((await register(t, { email: 'first@example.com', password: '12345678', invite: made.code }).expect(400)).body.code).toBe('weak_password');
    const created = await register(t, { email: 'first@example.com', password: 'violet tram at dawn', invite: made.code }).expect(201);
    await t.http().get('/v1/me').set(bearer(created)).expect(200);

    const again = await register(t, { email: 'second@example.com', password: 'violet tram at dawn', invite: made.code }).expect(403);
    expect(again.body).toMatchObject({ code: 'invite_invalid', message: expect.stringMatching(/expired, been used or revoked/) });

    const listed = ((await t.http().get('/v1/admin/invites').set(boss).expect(200)).body as AdminInviteListResponse).items.find((i) => i.id === made.id)!;
    expect(listed).toMatchObject({ id: made.id, usedBy: created.body.user.id, usedAt: expect.any(String) });
    expect(listed).not.toHaveProperty('code');
    const audit = ((await t.http().get(`/v1/admin/audit?targetId=${made.id}`).set(boss).expect(200)).body as AuditListResponse).items;
    expect(audit.map((e) => e.action)).toEqual(['invite.created']);
    expect(JSON.stringify(audit)).not.toContain(made.code);
  });

  it('two sign-ups racing with one code: exactly one account', async () => {
    const { code } = await invite();
    const results = await Promise.all(['racer-a@example.com', 'racer-b@example.com'].map((email) => register(t, { email, password: 'violet tram at dawn', invite: code })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 403]);
  });

  it('an invite for an address works for that address only (any case)', async () => {
    const { code } = await invite({ email: 'Named.Person@example.com' });
    expect((await register(t, { email: 'someone.else@example.com', password: 'violet tram at dawn', invite: code }).expect(403)).body.code).toBe('invite_invalid');
    await register(t, { email: 'named.person@EXAMPLE.com', password: 'violet tram at dawn', invite: code }).expect(201);
  });

  it('refuses revoked, expired and made-up codes', async () => {
    const revoked = await invite();
    await t.http().delete(`/v1/admin/invites/${revoked.id}`).set(boss).expect(204);
    await t.http().delete(`/v1/admin/invites/${revoked.id}`).set(boss).expect(404);
    const expired = await invite();
    await t.app.get(DataSource).query(`UPDATE invites SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
    for (const code of [revoked.code, expired.code, 'tti_made-up-code-that-nobody-issued00', 'x']) {
      const res = await register(t, { email: 'hopeful@example.com', password: 'violet tram at dawn', invite: code }).expect(403);
      expect([code, res.body.code]).toEqual([code, 'invite_invalid']);
    }
    const actions = ((await t.http().get(`/v1/admin/audit?targetId=${revoked.id}`).set(boss).expect(200)).body as AuditListResponse).items.map((e) => e.action);
    expect(actions).toEqual(['invite.revoked', 'invite.created']);
  });

  it('the operator CLI makes an invite (the first admin of a password-only installation)', async () => {
    const root = path.resolve(__dirname, '../../..');
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', './tools/build/register.cjs', 'apps/api/src/database/cli.ts', 'invite', 'First.Admin@example.com'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'test', DATABASE_URL: t.db.url, LOG_LEVEL: 'silent' },
    });
    const code = /^invite code: (tti_\S+)$/m.exec(stdout)?.[1];
    expect(stdout).toContain(`sign-up page: /signin?invite=${code}`);
    expect(stdout).toMatch(/for: first\.admin@example\.com, until /);
    expect((await register(t, { email: 'someone@example.com', password: 'violet tram at dawn', invite: code }).expect(403)).body.code).toBe('invite_invalid');
    await register(t, { email: 'first.admin@example.com', password: 'violet tram at dawn', invite: code }).expect(201);
  }, 60_000);

  it('only admins make or see invites, and the request is validated', async () => {
    const { code } = await invite();
    const user = bearer(await register(t, { email: 'plain-user@example.com', password: 'violet tram at dawn', invite: code }).expect(201));
    await t.http().post('/v1/admin/invites').set(user).send({}).expect(403);
    await t.http().get('/v1/admin/invites').set(user).expect(403);
    await t.http().post('/v1/admin/invites').send({}).expect(401);
    const bad = await t.http().post('/v1/admin/invites').set(boss).send({ expiresInHours: 0, email: 'not-an-email' }).expect(400);
    expect(Object.keys(bad.body.details.fields).sort()).toEqual(['email', 'expiresInHours']);
  });
});
