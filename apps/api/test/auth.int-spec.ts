import { JwtService } from '@nestjs/jwt';
import { SESSION_COOKIE, type AuthResponse, type ErrorResponse } from '@texttune/contracts';
import { Client } from 'pg';
import { startTestApp, type TestApp } from './support/test-app';

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('auth (open mode, the local default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // More sign-ins than one address may make in a minute; the limits have tests of their own.
    t = await startTestApp({ ADMIN_EMAILS: 'Boss@Example.com', AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  afterAll(() => t.close());

  const login = async (email: string) => {
    const res = await t.http().post('/v1/auth/login').send({ email }).expect(200);
    return res.body as AuthResponse;
  };

  it('quick email login creates the account once, then finds it (any case)', async () => {
    const first = await login('Minji@Example.com');
    expect(first.user).toMatchObject({ email: 'minji@example.com', role: 'user', isGuest: false });
    expect(typeof first.accessToken).toBe('string');
    const again = await login('minji@example.COM');
    expect(again.user.id).toBe(first.user.id);
  });

  it('sets an httpOnly SameSite=Lax session cookie that authenticates /v1/me', async () => {
    const res = await t.http().post('/v1/auth/login').send({ email: 'cookie@example.com' }).expect(200);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain http here; Secure when served over https
    const me = await t.http().get('/v1/me').set('Cookie', cookie!.split(';')[0]).expect(200);
    expect(me.body).toEqual({ id: res.body.user.id, email: 'cookie@example.com', displayName: null, role: 'user', isGuest: false, createdAt: res.body.user.createdAt, limits: expect.any(Object) });
  });

  it('answers GET /v1/auth/session with 200 whether or not anyone is signed in', async () => {
    expect((await t.http().get('/v1/auth/session').expect(200)).body).toEqual({ user: null });
    expect((await t.http().get('/v1/auth/session').set('Cookie', `${SESSION_COOKIE}=not-a-token`).expect(200)).body).toEqual({ user: null });
    expect((await t.http().get('/v1/auth/session').set('Authorization', 'Bearer ttk_nonsense').expect(200)).body).toEqual({ user: null });
    const res = await t.http().post('/v1/auth/login').send({ email: 'session@example.com' }).expect(200);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0];
    const me = await t.http().get('/v1/me').set('Cookie', cookie).expect(200);
    expect((await t.http().get('/v1/auth/session').set('Cookie', cookie).expect(200)).body).toEqual({ user: me.body });
    await t.http().post('/v1/auth/logout').set('Cookie', cookie).expect(200);
    expect((await t.http().get('/v1/auth/session').set('Cookie', cookie).expect(200)).body).toEqual({ user: null });
  });

  it('accepts the token as Authorization: Bearer', async () => {
    const { accessToken, user } = await login('bearer@example.com');
    const me = await t.http().get('/v1/me').set('Authorization', `Bearer ${accessToken}`).expect(200);
    expect(me.body.id).toBe(user.id);
    // What the client may ask for (the Create page bounds its duration slider with it).
    expect(me.body.limits).toEqual({ maxDurationSeconds: t.config.generation.maxDurationSeconds, dailySeconds: t.config.generation.dailySecondsQuota, maxActiveJobs: t.config.generation.maxActiveJobsPerUser });
  });

  it('gives admins their role from ADMIN_EMAILS', async () => {
    expect((await login('boss@example.com')).user.role).toBe('admin');
  });

  it('logout revokes the session server-side: the same token stops working at once', async () => {
    const { accessToken } = await login('logout@example.com');
    const auth = { Authorization: `Bearer ${accessToken}` };
    await t.http().get('/v1/me').set(auth).expect(200);
    const out = await t.http().post('/v1/auth/logout').set(auth).expect(200);
    expect(out.body).toEqual({ redirectUrl: null }); // no single sign-on session: nothing to end at a provider
    expect(String(out.headers['set-cookie'])).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
    const after = await t.http().get('/v1/me').set(auth).expect(401);
    expect(after.body.code).toBe('unauthorized');
    // another session of the same user is unaffected
    const other = await login('logout@example.com');
    await t.http().get('/v1/me').set('Authorization', `Bearer ${other.accessToken}`).expect(200);
  });

  it('creates instant guest accounts', async () => {
    const res = await t.http().post('/v1/auth/guest').expect(201);
    expect(res.body.user).toMatchObject({ email: null, isGuest: true, role: 'user' });
    await t.http().get('/v1/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
  });

  it('registers real accounts and signs in with the password', async () => {
    const reg = await t.http().post('/v1/auth/register').send({ email: 'pw@example.com', password: 'correct horse battery' }).expect(201);
    expect(reg.body.user.email).toBe('pw@example.com');
    const ok = await t.http().post('/v1/auth/login').send({ email: 'PW@example.com', password: 'correct horse battery' }).expect(200);
    expect(ok.body.user.id).toBe(reg.body.user.id);
    const wrong = await t.http().post('/v1/auth/login').send({ email: 'pw@example.com', password: 'wrong password' }).expect(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    const nobody = await t.http().post('/v1/auth/login').send({ email: 'nobody@example.com', password: 'whatever1' }).expect(401);
    expect(nobody.body.code).toBe('invalid_credentials');
    // an account with a password cannot be entered by the passwordless login
    const passwordless = await t.http().post('/v1/auth/login').send({ email: 'pw@example.com' }).expect(401);
    expect(passwordless.body.code).toBe('password_required');
    const dup = await t.http().post('/v1/auth/register').send({ email: 'pw@example.com', password: 'another password' }).expect(409);
    expect(dup.body.code).toBe('email_taken');
  });

  it('lets a passwordless account claim a password once by registering', async () => {
    const quick = await login('claim@example.com');
    const reg = await t.http().post('/v1/auth/register').send({ email: 'claim@example.com', password: 'now with a password' }).expect(201);
    expect(reg.body.user.id).toBe(quick.user.id);
    await t.http().post('/v1/auth/login').send({ email: 'claim@example.com' }).expect(401);
  });

  describe('refuses bad tokens with 401', () => {
    let valid: AuthResponse;
    beforeAll(async () => {
      valid = await login('tokens@example.com');
    });
    const expect401 = async (token: string) => {
      const res = await t.http().get('/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
      expect((res.body as ErrorResponse).code).toBe('unauthorized');
      return res.body as ErrorResponse;
    };
    const claims = () => JSON.parse(Buffer.from(valid.accessToken.split('.')[1], 'base64url').toString()) as { sub: string; sid: string };

    it('no token', async () => {
      const res = await t.http().get('/v1/me').expect(401);
      expect(res.body.message).toMatch(/Sign in first/);
    });
    it('tampered payload', async () => {
      const [h, , s] = valid.accessToken.split('.');
      await expect401(`${h}.${b64url({ ...claims(), sub: '00000000-0000-0000-0000-000000000000' })}.${s}`);
    });
    it('wrong secret', async () => {
      await expect401(new JwtService({ secret: 'some-other-secret' }).sign(claims()));
    });
    it('expired', async () => {
      const token = new JwtService({ secret: t.config.auth.jwtSecret }).sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 10 });
      expect((await expect401(token)).message).toMatch(/expired/);
    });
    it('alg none', async () => {
      await expect401(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims(), iat: Math.floor(Date.now() / 1000) })}.`);
    });
    it('garbage', async () => {
      await expect401('not-a-jwt');
    });
    it('a well-signed token whose session does not exist', async () => {
      const token = new JwtService({ secret: t.config.auth.jwtSecret }).sign({ sub: claims().sub, sid: '00000000-0000-0000-0000-000000000000' });
      expect((await expect401(token)).message).toMatch(/session has ended/);
    });
  });

  describe('validation and the error shape', () => {
    it('rejects unknown fields with per-field details', async () => {
      const res = await t.http().post('/v1/auth/login').send({ email: 'x@example.com', admin: true }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'validation_failed', details: { fields: { admin: ['admin is not a known field'] } } });
      expect(typeof res.body.message).toBe('string');
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    });
    it('rejects a bad email with a sentence at the field', async () => {
      const res = await t.http().post('/v1/auth/login').send({ email: 'not-an-email' }).expect(400);
      expect(res.body.details.fields.email).toEqual(['email must be an email address like name@example.com']);
    });
    it('rejects a short password at registration', async () => {
      const res = await t.http().post('/v1/auth/register').send({ email: 'short@example.com', password: 'short' }).expect(400);
      expect(res.body).toMatchObject({ code: 'weak_password', message: expect.stringMatching(/at least 10 characters/), details: { rule: 'min_length' } });
    });
    it('answers invalid JSON with 400 bad_request', async () => {
      const res = await t.http().post('/v1/auth/login').set('Content-Type', 'application/json').send('{"email":').expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'bad_request', message: 'The request body is not valid JSON.' });
    });
    it('answers oversize bodies with 413 payload_too_large', async () => {
      const res = await t.http().post('/v1/auth/login').send({ email: 'a@example.com', password: 'x'.repeat(2 * 1024 * 1024) }).expect(413);
      expect(res.body.code).toBe('payload_too_large');
    });
    it('answers unknown routes with 404 not_found in the same shape', async () => {
      const res = await t.http().get('/v1/nothing-here').expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'not_found' });
    });
    it('keeps a well-formed X-Request-Id and replaces a malformed one', async () => {
      const kept = await t.http().get('/v1/health').set('X-Request-Id', 'portal-req-42').expect(200);
      expect(kept.headers['x-request-id']).toBe('portal-req-42');
      const replaced = await t.http().get('/v1/health').set('X-Request-Id', 'bad id with spaces').expect(200);
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
    it('sends security headers', async () => {
      const res = await t.http().get('/v1/health').expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      // Plain HTTP at a LAN address must keep working (no forced upgrade of the page's own files).
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });

  it('describes the sign-in methods', async () => {
    const res = await t.http().get('/v1/auth/config').expect(200);
    expect(res.body).toEqual({ mode: 'open', registration: 'open', methods: { emailLogin: true, guest: true, password: true, register: true, oidc: false }, oidc: null });
  });
});

describe('auth in password mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_MODE: 'password' });
  });
  afterAll(() => t.close());

  it('refuses passwordless login and guests with 401 and a reason', async () => {
    const quick = await t.http().post('/v1/auth/login').send({ email: 'someone@example.com' }).expect(401);
    expect(quick.body).toMatchObject({ code: 'auth_mode_disabled' });
    expect(quick.body.message).toMatch(/AUTH_MODE=password/);
    const guest = await t.http().post('/v1/auth/guest').expect(401);
    expect(guest.body.code).toBe('auth_mode_disabled');
  });

  it('still registers and signs in with passwords', async () => {
    await t.http().post('/v1/auth/register').send({ email: 'real@example.com', password: 'a real password' }).expect(201);
    await t.http().post('/v1/auth/login').send({ email: 'real@example.com', password: 'a real password' }).expect(200);
    const cfg = await t.http().get('/v1/auth/config').expect(200);
    expect(cfg.body).toEqual({ mode: 'password', registration: 'open', methods: { emailLogin: false, guest: false, password: true, register: true, oidc: false }, oidc: null });
  });
});

describe('sign-in rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 rate_limited with Retry-After once an address exceeds the limit', async () => {
    for (let i = 0; i < 3; i++) await t.http().post('/v1/auth/login').send({ email: `r${i}@example.com` }).expect(200);
    const res = await t.http().post('/v1/auth/login').send({ email: 'r4@example.com' }).expect(429);
    expect(res.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // the config endpoint is not a sign-in attempt and is not limited
    await t.http().get('/v1/auth/config').expect(200);
  });
});

describe('auth with single sign-on configured (no provider contacted)', () => {
  const OIDC = { OIDC_ISSUER: 'http://127.0.0.1:9/realms/acme', OIDC_CLIENT_ID: 'texttune', OIDC_REDIRECT_URI: 'http://127.0.0.1:4000/v1/auth/oidc/callback' };

  describe('AUTH_MODE=oidc', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ AUTH_MODE: 'oidc', ...OIDC, OIDC_PROVIDER_NAME: 'Acme SSO' });
    });
    afterAll(() => t.close());

    it('offers only single sign-on, with the provider name and login URL', async () => {
      const cfg = await t.http().get('/v1/auth/config').expect(200);
      expect(cfg.body).toEqual({
        mode: 'oidc',
        registration: 'closed',
        methods: { emailLogin: false, guest: false, password: false, register: false, oidc: true },
        oidc: { providerName: 'Acme SSO', loginUrl: '/v1/auth/oidc/login' },
      });
    });

    it('refuses passwords, registration, quick login and guests with 401 auth_mode_disabled naming the provider', async () => {
      for (const [path, body] of [
        ['/v1/auth/login', { email: 'a@example.com', password: 'whatever1' }],
        ['/v1/auth/register', { email: 'a@example.com', password: 'whatever1' }],
        ['/v1/auth/login', { email: 'a@example.com' }],
        ['/v1/auth/guest', {}],
      ] as const) {
        const res = await t.http().post(path).send(body).expect(401);
        expect(res.body.code).toBe('auth_mode_disabled');
        expect(res.body.message).toMatch(/Acme SSO|AUTH_MODE=oidc/);
      }
    });
  });

  describe('beside open mode', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ ...OIDC });
    });
    afterAll(() => t.close());

    it('offers every method; the button is named after the issuer host by default', async () => {
      const cfg = await t.http().get('/v1/auth/config').expect(200);
      expect(cfg.body.methods).toEqual({ emailLogin: true, guest: true, password: true, register: true, oidc: true });
      expect(cfg.body.oidc).toEqual({ providerName: '127.0.0.1', loginUrl: '/v1/auth/oidc/login' });
    });

    it('never lets the quick login or a registration take over an account that signs in with SSO', async () => {
      const { user } = (await t.http().post('/v1/auth/login').send({ email: 'sso-user@example.com' }).expect(200)).body as AuthResponse;
      const client = new Client({ connectionString: t.db.url });
      await client.connect();
      try {
        await client.query(`INSERT INTO user_identities (user_id, issuer, subject) VALUES ($1, 'http://127.0.0.1:9/realms/acme', 'sub-1')`, [user.id]);
      } finally {
        await client.end();
      }
      const quick = await t.http().post('/v1/auth/login').send({ email: 'sso-user@example.com' }).expect(401);
      expect(quick.body.code).toBe('sso_required');
      const claim = await t.http().post('/v1/auth/register').send({ email: 'sso-user@example.com', password: 'a new password' }).expect(409);
      expect(claim.body.code).toBe('sso_required');
    });
  });
});
