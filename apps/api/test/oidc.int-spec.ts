/**
 * Single sign-on against a real OpenID provider: the tests start `oidc-provider` (with a
 * test client and users) and the TextTune API as separate processes, and drive the real
 * redirects over HTTP with a cookie jar per "browser". The API runs in its own Node
 * process (as in production) because openid-client and oidc-provider are ESM-only.
 */
import { SESSION_COOKIE, type AdminUserListResponse, type MeResponse } from '@texttune/contracts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../src/common/free-port';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const ROOT = path.resolve(__dirname, '../../..');
const CLIENT_ID = 'texttune-test';
const CLIENT_SECRET = 'a-client-secret-for-tests';

/** The provider: oidc-provider with a test client, four users and switches for misbehaviour. */
const PROVIDER_SCRIPT = `// A real OpenID provider (oidc-provider) for the tests, with a test client and users.
// env: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, POST_LOGOUT_REDIRECT_URI, JWK (private signing key, JSON)
import http from 'node:http';
import Provider from 'oidc-provider';
import { SignJWT, decodeJwt, importJWK } from 'jose';

const { PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, POST_LOGOUT_REDIRECT_URI } = process.env;
const jwk = JSON.parse(process.env.JWK);
const issuer = \`http://127.0.0.1:\${PORT}\`;
const accounts = {
  alice: { email: 'alice@corp.example', email_verified: true, name: 'Alice Example', groups: ['staff'] },
  root: { email: 'root@corp.example', email_verified: true, name: 'Root Admin', groups: ['staff', 'texttune-admins'] },
  mallory: { email: 'existing@example.com', email_verified: false, name: 'Mallory', groups: [] },
  verified: { email: 'linked@example.com', email_verified: true, name: 'Linked Person', groups: [] },
};
// What the next requests should do, set by the test through POST /__control.
const mode = { wrongAudience: false, codeTtl: 60 };

const provider = new Provider(issuer, {
  clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [REDIRECT_URI], post_logout_redirect_uris: [POST_LOGOUT_REDIRECT_URI], response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic' }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['test-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  findAccount: async (_ctx, id) => (accounts[id] ? { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) } : undefined),
  interactions: { url: (_ctx, interaction) => \`/interaction/\${interaction.uid}\` },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true },
  ttl: { AuthorizationCode: () => mode.codeTtl, IdToken: 3600, AccessToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
});
const key = await importJWK(jwk, 'RS256');
// A provider that issues ID tokens for another audience (signed with its real key).
provider.use(async (ctx, next) => {
  await next();
  if (mode.wrongAudience && ctx.path === '/token' && ctx.body && ctx.body.id_token) {
    const claims = decodeJwt(ctx.body.id_token);
    ctx.body = { ...ctx.body, id_token: await new SignJWT({ ...claims, aud: 'another-app' }).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(key) };
  }
});
const callback = provider.callback();

http
  .createServer(async (req, res) => {
    try {
      const url = new URL(req.url, issuer);
      if (url.pathname === '/__control' && req.method === 'POST') {
        let body = '';
        for await (const chunk of req) body += chunk;
        Object.assign(mode, JSON.parse(body));
        res.end('ok');
        return;
      }
      const interaction = /^\\/interaction\\/([^/]+)$/.exec(url.pathname);
      if (interaction) {
        // The "user" at the provider: the test names the account (?account=) or declines (?deny=1).
        const details = await provider.interactionDetails(req, res);
        if (url.searchParams.get('deny')) {
          await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user declined.' }, { mergeWithLastSubmission: false });
          return;
        }
        if (details.prompt.name === 'login') {
          await provider.interactionFinished(req, res, { login: { accountId: url.searchParams.get('account') ?? 'alice' } }, { mergeWithLastSubmission: false });
          return;
        }
        const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
        grant.addOIDCScope(details.params.scope);
        await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
        return;
      }
      callback(req, res);
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error && error.stack));
    }
  })
  .listen(Number(PORT), '127.0.0.1', () => process.stdout.write('READY\\n'));
`;

interface Proc {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function startProcess(args: string[], env: Record<string, string>, ready: string, timeoutMs = 60_000): Promise<Proc> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: Proc = {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${output}`)), timeoutMs);
    child.stdout.on('data', () => output.includes(ready) && (clearTimeout(timer), resolve(proc)));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`exited (${code}) before ready:\n${output}`))));
  });
}

/** A browser's cookie jar (per origin and path) and manual redirects. */
class Browser {
  private jar: { origin: string; name: string; value: string; path: string }[] = [];

  async request(url: string | URL, init: { method?: string; json?: unknown } = {}): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = {};
    const cookie = this.jar
      .filter((c) => c.origin === target.origin && (target.pathname === c.path || target.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    if (cookie) headers.cookie = cookie;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(target, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json), redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) this.store(target.origin, line);
    return res;
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar.find((c) => c.origin === origin && c.name === name)?.value;
  }

  setCookie(origin: string, name: string, value: string, cookiePath: string): void {
    this.jar = this.jar.filter((c) => !(c.origin === origin && c.name === name && c.path === cookiePath));
    this.jar.push({ origin, name, value, path: cookiePath });
  }

  private store(origin: string, line: string): void {
    const [pair, ...attributes] = line.split(';').map((s) => s.trim());
    const name = pair.slice(0, pair.indexOf('='));
    const value = pair.slice(pair.indexOf('=') + 1);
    const attr = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const cookiePath = attr('path') ?? '/';
    const maxAge = attr('max-age');
    const expires = attr('expires');
    this.jar = this.jar.filter((c) => !(c.origin === origin && c.name === name && c.path === cookiePath));
    const gone = (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) <= Date.now()) || value === '';
    if (!gone) this.jar.push({ origin, name, value, path: cookiePath });
  }
}

describe('OIDC configuration', () => {
  const base = { NODE_ENV: 'test', OIDC_ISSUER: 'https://sso.example.com/realms/acme', OIDC_CLIENT_ID: 'texttune', OIDC_REDIRECT_URI: 'https://tt.example.com/v1/auth/oidc/callback' };
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return '';
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.message;
    }
  };

  it('reads the settings, with defaults', () => {
    expect(loadConfig(base).auth.oidc).toEqual({
      issuer: base.OIDC_ISSUER,
      clientId: 'texttune',
      clientSecret: undefined,
      redirectUri: base.OIDC_REDIRECT_URI,
      scopes: 'openid email profile',
      providerName: 'sso.example.com',
      adminGroup: undefined,
      groupsClaim: 'groups',
      postLogoutRedirectUri: undefined,
    });
    expect(loadConfig({ NODE_ENV: 'test' }).auth.oidc).toBeNull();
  });

  it('refuses incomplete or unsafe settings with a message per variable', () => {
    expect(problems({ NODE_ENV: 'test', AUTH_MODE: 'oidc' })).toMatch(/AUTH_MODE: "oidc" needs OIDC_ISSUER/);
    expect(problems({ NODE_ENV: 'test', OIDC_ISSUER: base.OIDC_ISSUER })).toMatch(/OIDC_CLIENT_ID[\s\S]*OIDC_REDIRECT_URI/);
    expect(problems({ ...base, OIDC_SCOPES: 'email profile' })).toMatch(/OIDC_SCOPES: must include "openid"/);
    expect(problems({ ...base, OIDC_ISSUER: 'not a url' })).toMatch(/OIDC_ISSUER/);
    expect(problems({ ...base, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), OIDC_ISSUER: 'http://sso.example.com' })).toMatch(/OIDC_ISSUER: must be an https:\/\/ URL in production/);
    expect(problems({ NODE_ENV: 'test', OIDC_CLIENT_ID: 'texttune' })).toMatch(/OIDC_ISSUER: must be set/);
  });
});

describe('OIDC single sign-on against a real provider', () => {
  let db: TestDatabase;
  let pg: Client;
  let storageDir: string;
  let api: Proc;
  let provider: Proc | undefined;
  let apiOrigin: string;
  let providerPort: number;
  let issuer: string;
  let jwk: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    storageDir = await mkdtemp(path.join(os.tmpdir(), 'texttune-oidc-'));
    const [apiPort, port] = [await freePort(), await freePort()];
    providerPort = port;
    apiOrigin = `http://127.0.0.1:${apiPort}`;
    issuer = `http://127.0.0.1:${providerPort}`;
    // The provider's signing key, kept across provider restarts.
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    jwk = JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' });
    api = await startProcess(['-r', './tools/build/register.cjs', 'apps/api/test/support/app-process.ts'], {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
      DATABASE_URL: db.url,
      STORAGE_DIR: storageDir,
      PORT: String(apiPort),
      AUTH_MODE: 'password',
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URI: `${apiOrigin}/v1/auth/oidc/callback`,
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_PROVIDER_NAME: 'Corp SSO',
      OIDC_ADMIN_GROUP: 'texttune-admins',
      OIDC_POST_LOGOUT_REDIRECT_URI: `${apiOrigin}/signin`,
    }, 'READY');
  }, 90_000);

  afterAll(async () => {
    await provider?.stop();
    await api?.stop();
    await pg?.end();
    await db?.drop();
    await rm(storageDir, { recursive: true, force: true });
  });

  const startProvider = async () => {
    provider = await startProcess(['--input-type=module', '-e', PROVIDER_SCRIPT], {
      PORT: String(providerPort),
      CLIENT_ID,
      CLIENT_SECRET,
      REDIRECT_URI: `${apiOrigin}/v1/auth/oidc/callback`,
      POST_LOGOUT_REDIRECT_URI: `${apiOrigin}/signin`,
      JWK: jwk,
    }, 'READY');
  };
  const control = async (mode: { wrongAudience?: boolean; codeTtl?: number }) => {
    const res = await fetch(`${issuer}/__control`, { method: 'POST', body: JSON.stringify(mode) });
    expect(res.status).toBe(200);
  };
  const sessionCount = async () => Number((await pg.query('SELECT count(*) FROM sessions')).rows[0].count);

  /** GET /v1/auth/oidc/login: the provider's authorization URL it redirects to. */
  const startLogin = async (b: Browser, returnUrl?: string): Promise<URL> => {
    const res = await b.request(`${apiOrigin}/v1/auth/oidc/login${returnUrl === undefined ? '' : `?returnUrl=${encodeURIComponent(returnUrl)}`}`);
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!);
  };
  /** The user at the provider: follows its redirects (signing in as `account`, or declining) until it sends the browser back to us. */
  const atProvider = async (b: Browser, authorizeUrl: URL, user: { account?: string; deny?: boolean } = {}): Promise<URL> => {
    let url = authorizeUrl;
    for (let hops = 0; hops < 10; hops++) {
      if (url.origin === apiOrigin) return url;
      if (url.pathname.startsWith('/interaction/')) {
        if (user.deny) url.searchParams.set('deny', '1');
        else url.searchParams.set('account', user.account ?? 'alice');
      }
      const res = await b.request(url);
      if (res.status !== 302 && res.status !== 303) throw new Error(`the provider answered ${res.status}: ${await res.text()}`);
      url = new URL(res.headers.get('location')!, url);
    }
    throw new Error('too many redirects at the provider');
  };
  /** Back at our callback: where it sends the browser. */
  const finish = async (b: Browser, callbackUrl: URL): Promise<string> => {
    const res = await b.request(callbackUrl);
    expect(res.status).toBe(302);
    return res.headers.get('location')!;
  };
  const signIn = async (user: { account?: string; deny?: boolean } = {}, returnUrl?: string) => {
    const b = new Browser();
    const location = await finish(b, await atProvider(b, await startLogin(b, returnUrl), user));
    return { b, location, session: b.cookie(apiOrigin, SESSION_COOKIE) };
  };
  const me = async (b: Browser) => {
    const res = await b.request(`${apiOrigin}/v1/me`);
    return { status: res.status, body: (await res.json()) as MeResponse };
  };
  /** A failed attempt: the sign-in page with the reason, no session cookie, no new session row. */
  const expectRefused = async (attempt: () => Promise<{ b: Browser; location: string }>, reason: string) => {
    const before = await sessionCount();
    const { b, location } = await attempt();
    expect(location).toMatch(new RegExp(`^/signin\\?error=${reason}(&|$)`));
    expect(b.cookie(apiOrigin, SESSION_COOKIE)).toBeUndefined();
    expect(await sessionCount()).toBe(before);
    return location;
  };

  it('tells the web client that single sign-on is on, and its button', async () => {
    const res = await fetch(`${apiOrigin}/v1/auth/config`);
    expect(await res.json()).toEqual({
      mode: 'password',
      registration: 'open',
      methods: { emailLogin: false, guest: false, password: true, register: true, oidc: true },
      oidc: { providerName: 'Corp SSO', loginUrl: '/v1/auth/oidc/login' },
    });
  });

  it('provider down: back to the sign-in page with a reason, keeping the return URL', async () => {
    const b = new Browser();
    const res = await b.request(`${apiOrigin}/v1/auth/oidc/login?returnUrl=%2Flibrary`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/signin?error=oidc_provider_unavailable&returnUrl=%2Flibrary');
    expect(b.cookie(apiOrigin, SESSION_COOKIE)).toBeUndefined();
  });

  describe('with the provider up', () => {
    let aliceNonce: string;

    beforeAll(() => startProvider(), 60_000);

    it('signs in with the authorization code flow, PKCE, state and nonce; creates the account on first sign-in', async () => {
      const b = new Browser();
      const authorize = await startLogin(b, '/library');
      expect(authorize.origin + authorize.pathname).toBe(`${issuer}/auth`);
      const q = authorize.searchParams;
      expect(Object.fromEntries(q)).toMatchObject({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: `${apiOrigin}/v1/auth/oidc/callback`, scope: 'openid email profile groups', code_challenge_method: 'S256' });
      expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(q.get('state')!.length).toBeGreaterThanOrEqual(32);
      expect(q.get('nonce')!.length).toBeGreaterThanOrEqual(32);
      expect(q.get('nonce')).not.toBe(q.get('state'));
      aliceNonce = q.get('nonce')!;
      expect(b.cookie(apiOrigin, 'tt_oidc')).toBeDefined();

      const callback = await atProvider(b, authorize, { account: 'alice' });
      expect(callback.pathname).toBe('/v1/auth/oidc/callback');
      expect(callback.searchParams.get('state')).toBe(q.get('state'));
      const res = await b.request(callback);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/library');
      const cookies = res.headers.getSetCookie();
      expect(cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/HttpOnly.*SameSite=Lax|SameSite=Lax.*HttpOnly/);
      expect(cookies.find((c) => c.startsWith('tt_oidc='))).toMatch(/Path=\/v1\/auth\/oidc/); // cleared: one use
      expect(b.cookie(apiOrigin, 'tt_oidc')).toBeUndefined();

      const { status, body } = await me(b);
      expect(status).toBe(200);
      expect(body).toMatchObject({ email: 'alice@corp.example', displayName: 'Alice Example', role: 'user', isGuest: false });
      const identities = await pg.query('SELECT issuer, subject, email, user_id FROM user_identities WHERE subject = $1', ['alice']);
      expect(identities.rows).toEqual([{ issuer, subject: 'alice', email: 'alice@corp.example', user_id: body.id }]);

      // later sign-ins find the same account by issuer + subject
      const again = await signIn({ account: 'alice' });
      expect(again.location).toBe('/');
      expect((await me(again.b)).body.id).toBe(body.id);
    });

    it('maps the admin group claim to the admin role', async () => {
      const { b } = await signIn({ account: 'root' });
      const { body } = await me(b);
      expect(body).toMatchObject({ email: 'root@corp.example', role: 'admin' });
      const res = await b.request(`${apiOrigin}/v1/admin/users?q=corp.example`);
      expect(res.status).toBe(200);
      const users = ((await res.json()) as AdminUserListResponse).items;
      expect(users.find((u) => u.email === 'alice@corp.example')).toMatchObject({ role: 'user', sso: [issuer] });
    });

    it('state tampering: refused, no session', async () => {
      await expectRefused(async () => {
        const b = new Browser();
        const callback = await atProvider(b, await startLogin(b));
        callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
        return { b, location: await finish(b, callback) };
      }, 'oidc_state_mismatch');
      await expectRefused(async () => {
        const b = new Browser();
        const callback = await atProvider(b, await startLogin(b));
        callback.searchParams.delete('state');
        return { b, location: await finish(b, callback) };
      }, 'oidc_state_mismatch');
    });

    it('a response delivered to another browser (login CSRF): refused, no session', async () => {
      await expectRefused(async () => {
        const attacker = new Browser();
        const callback = await atProvider(attacker, await startLogin(attacker), { account: 'root' });
        const victim = new Browser();
        return { b: victim, location: await finish(victim, callback) };
      }, 'oidc_session_expired');
    });

    it('nonce replay: an ID token carrying another sign-in\u2019s nonce is refused, no session', async () => {
      await expectRefused(async () => {
        const b = new Browser();
        const authorize = await startLogin(b);
        authorize.searchParams.set('nonce', aliceNonce);
        return { b, location: await finish(b, await atProvider(b, authorize)) };
      }, 'oidc_token_invalid');
    });

    it('wrong audience: an ID token for another client is refused, no session', async () => {
      await control({ wrongAudience: true });
      try {
        await expectRefused(async () => signIn({ account: 'alice' }), 'oidc_token_invalid');
      } finally {
        await control({ wrongAudience: false });
      }
      expect(api.output()).toMatch(/sign-in refused \(oidc_token_invalid\)/);
    });

    it('expired code: refused, no session', async () => {
      await control({ codeTtl: 1 });
      try {
        await expectRefused(async () => {
          const b = new Browser();
          const callback = await atProvider(b, await startLogin(b));
          await new Promise((r) => setTimeout(r, 2100));
          return { b, location: await finish(b, callback) };
        }, 'oidc_code_invalid');
      } finally {
        await control({ codeTtl: 60 });
      }
    });

    it('a replayed callback (code already used) is refused, even with the old flow cookie', async () => {
      const b = new Browser();
      await startLogin(b).then(async (authorize) => {
        const flowCookie = b.cookie(apiOrigin, 'tt_oidc')!;
        const callback = await atProvider(b, authorize);
        expect(await finish(b, callback)).toBe('/');
        await expectRefused(async () => ({ b: new Browser(), location: await finish(new Browser(), callback) }), 'oidc_session_expired');
        await expectRefused(async () => {
          const replay = new Browser();
          replay.setCookie(apiOrigin, 'tt_oidc', flowCookie, '/v1/auth/oidc');
          return { b: replay, location: await finish(replay, callback) };
        }, 'oidc_code_invalid');
      });
    });

    it('denied consent: refused with the reason, no session', async () => {
      await expectRefused(() => signIn({ deny: true }, '/create'), 'oidc_access_denied');
      const { location } = await signIn({ deny: true }, '/create');
      expect(location).toBe('/signin?error=oidc_access_denied&returnUrl=%2Fcreate');
    });

    it('links an existing account only when the provider verified the email', async () => {
      for (const email of ['existing@example.com', 'linked@example.com']) {
        const res = await fetch(`${apiOrigin}/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'a password here' }) });
        expect(res.status).toBe(201);
      }
      await expectRefused(() => signIn({ account: 'mallory' }), 'oidc_email_conflict');
      const { b } = await signIn({ account: 'verified' });
      const { body } = await me(b);
      const { rows } = await pg.query(`SELECT id FROM users WHERE email = 'linked@example.com'`);
      expect(body.id).toBe(rows[0].id);
    });

    it('a disabled account cannot sign in, and its sessions end at once', async () => {
      const alice = await signIn({ account: 'alice' });
      const admin = await signIn({ account: 'root' });
      const id = (await me(alice.b)).body.id;
      const res = await admin.b.request(`${apiOrigin}/v1/admin/users/${id}`, { method: 'PATCH', json: { disabled: true } });
      expect(res.status).toBe(200);
      expect((await me(alice.b)).status).toBe(401);
      await expectRefused(() => signIn({ account: 'alice' }), 'oidc_account_disabled');
      await admin.b.request(`${apiOrigin}/v1/admin/users/${id}`, { method: 'PATCH', json: { disabled: false } });
      expect((await signIn({ account: 'alice' })).session).toBeDefined();
    });

    it('sign-out ends our session and sends the browser to the provider\u2019s end-session endpoint', async () => {
      const { b } = await signIn({ account: 'root' });
      const res = await b.request(`${apiOrigin}/v1/auth/logout`, { method: 'POST' });
      expect(res.status).toBe(200);
      const { redirectUrl } = (await res.json()) as { redirectUrl: string };
      const url = new URL(redirectUrl);
      expect(url.origin + url.pathname).toBe(`${issuer}/session/end`);
      expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
      expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${apiOrigin}/signin`);
      expect(url.searchParams.get('id_token_hint')!.split('.')).toHaveLength(3);
      expect((await me(b)).status).toBe(401);
      // the provider accepts it (its sign-out confirmation page)
      expect((await b.request(url)).status).toBe(200);
    });

    it('never redirects to another site after sign-in', async () => {
      for (const returnUrl of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
        expect((await signIn({ account: 'alice' }, returnUrl)).location).toBe('/');
      }
    });

    it('provider down during the code exchange: refused with the reason, no session', async () => {
      await expectRefused(async () => {
        const b = new Browser();
        const callback = await atProvider(b, await startLogin(b));
        await provider!.stop();
        provider = undefined;
        return { b, location: await finish(b, callback) };
      }, 'oidc_provider_unavailable');
    });
  });
});
