import { API_TOKEN_SCOPES, type ApiTokenListResponse, type ApiTokenScope, type CreatedApiTokenResponse, type GenerationResponse } from '@texttune/contracts';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { ENTITIES } from '../src/entities';
import { MIGRATIONS } from '../src/database/migrations';
import { signIn, waitForStatus } from './support/helpers';
import { countRequestStatements } from './support/request-statements';
import { createTestDatabase } from './support/test-database';
import { startTestApp, type TestApp } from './support/test-app';

type Auth = { Authorization: string };
type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });
const MISSING = '00000000-0000-4000-8000-000000000000';

describe('API token scopes', () => {
  let t: TestApp;
  /** an admin (ADMIN_EMAILS), so that every route of the table is open to their session */
  let boss: Auth;
  let trackId: string;
  let jobId: string;
  let playlistId: string;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAILS: 'boss@example.com', MAX_ACTIVE_JOBS_PER_USER: '100', AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
    boss = await signIn(t, 'boss@example.com');
    const job = (await t.http().post('/v1/generations').set(boss).send({ prompt: 'scoped piano', duration: 1 }).expect(202)).body as GenerationResponse;
    jobId = job.job_id;
    trackId = (await waitForStatus(t, boss, jobId, ['succeeded'])).track_ids[0];
    playlistId = ((await t.http().post('/v1/playlists').set(boss).send({ title: 'Scoped' }).expect(201)).body as { id: string }).id;
  });
  afterAll(() => t.close());

  const create = async (auth: Auth, body: { name?: string; scopes?: ApiTokenScope[] } = {}) =>
    (await t.http().post('/v1/tokens').set(auth).send({ name: 'portal', ...body }).expect(201)).body as CreatedApiTokenResponse;
  const call = (method: Method, path: string, body?: object) => {
    const req = t.http()[method](path);
    return body ? req.send(body) : req;
  };

  // Representative routes of each scope; allowed calls answer what the route answers
  // (a delete of a missing id: 404), never 403.
  const routes: [Method, () => string, ApiTokenScope, object?][] = [
    ['get', () => '/v1/me', 'read'],
    ['get', () => '/v1/library', 'read'],
    ['get', () => `/v1/tracks/${trackId}`, 'read'],
    ['get', () => `/v1/stream/${trackId}`, 'read'],
    ['get', () => `/v1/download/${trackId}`, 'read'],
    ['get', () => '/v1/generations', 'read'],
    ['get', () => `/v1/generations/${jobId}`, 'read'],
    ['get', () => '/v1/engines', 'read'],
    ['get', () => `/v1/playlists/${playlistId}`, 'read'],
    ['get', () => `/v1/references/${MISSING}`, 'read'],
    ['post', () => '/v1/generations', 'generate', { prompt: 'scoped drums', duration: 1 }],
    ['post', () => `/v1/generations/${jobId}/cancel`, 'generate'],
    ['post', () => `/v1/tracks/${trackId}/regenerate`, 'generate', { seed: 'same' }],
    ['patch', () => `/v1/tracks/${trackId}`, 'manage', { title: 'Renamed by a scope' }],
    ['delete', () => `/v1/library/${MISSING}`, 'manage'],
    ['post', () => '/v1/playlists', 'manage', { title: 'Made with manage' }],
    ['post', () => `/v1/tracks/${trackId}/share`, 'manage', {}],
    ['get', () => `/v1/tracks/${trackId}/shares`, 'manage'],
    ['get', () => '/v1/tokens', 'manage'],
    ['delete', () => `/v1/tokens/${MISSING}`, 'manage'],
    ['delete', () => '/v1/me/hf-token', 'manage'],
    ['get', () => '/v1/admin/users', 'admin'],
    ['get', () => '/v1/admin/jobs', 'admin'],
  ];

  it('allows each token what its scopes cover and refuses the rest with 403 insufficient_scope naming the scope; sessions may do everything', async () => {
    const credentials: [string, Auth, readonly ApiTokenScope[]][] = [['session', boss, API_TOKEN_SCOPES]];
    for (const scope of API_TOKEN_SCOPES) credentials.push([`${scope} token`, bearer((await create(boss, { name: `${scope} only`, scopes: [scope] })).token), [scope]]);
    const seen: string[] = [];
    const expected: string[] = [];
    for (const [method, path, scope, body] of routes) {
      for (const [who, auth, scopes] of credentials) {
        const res = await call(method, path(), body).set(auth);
        const allowed = scopes.includes(scope);
        expected.push(`${who} ${method.toUpperCase()} ${path()}: ${allowed ? 'allowed' : `403 ${scope}`}`);
        seen.push(`${who} ${method.toUpperCase()} ${path()}: ${res.status === 403 ? `403 ${String(res.body.details?.required_scope)}` : res.status < 500 && res.status !== 401 ? 'allowed' : String(res.status)}`);
        if (!allowed) {
          expect(res.body).toMatchObject({ statusCode: 403, code: 'insufficient_scope', details: { required_scope: scope }, message: expect.stringContaining(`"${scope}" scope`) });
        }
      }
    }
    expect(seen).toEqual(expected);
  });

  it('gives new tokens every scope but admin by default, even an admin\u2019s, and lists each token\u2019s scopes', async () => {
    const user = await signIn(t);
    expect((await create(user)).scopes).toEqual(['read', 'generate', 'manage']);
    expect((await create(boss)).scopes).toEqual(['read', 'generate', 'manage']);
    const chosen = await create(boss, { name: 'ops script', scopes: ['admin', 'read', 'read'] });
    expect(chosen.scopes).toEqual(['read', 'admin']);
    const listed = ((await t.http().get('/v1/tokens').set(boss).expect(200)).body as ApiTokenListResponse).items;
    expect(listed.find((item) => item.id === chosen.id)?.scopes).toEqual(['read', 'admin']);
  });

  it('lets only admins grant the admin scope', async () => {
    const user = await signIn(t);
    const res = await t.http().post('/v1/tokens').set(user).send({ name: 'sneaky', scopes: ['read', 'admin'] }).expect(403);
    expect(res.body).toMatchObject({ code: 'scope_not_grantable', message: expect.stringMatching(/admin/), details: { scope: 'admin' } });
    expect(((await t.http().get('/v1/tokens').set(user).expect(200)).body as ApiTokenListResponse).items).toEqual([]);
  });

  it('never lets a token mint a token with a scope it lacks', async () => {
    const manager = bearer((await create(boss, { name: 'manager', scopes: ['manage'] })).token);
    // by default, a token's token gets what it holds (of the defaults)
    expect((await create(manager)).scopes).toEqual(['manage']);
    const wider = await t.http().post('/v1/tokens').set(manager).send({ name: 'wider', scopes: ['manage', 'read'] }).expect(403);
    expect(wider.body).toMatchObject({ code: 'insufficient_scope', details: { required_scope: 'read' } });
    // an admin's full default token cannot mint admin tokens either
    const full = bearer((await create(boss)).token);
    const admin = await t.http().post('/v1/tokens').set(full).send({ name: 'escalate', scopes: ['admin'] }).expect(403);
    expect(admin.body).toMatchObject({ code: 'insufficient_scope', details: { required_scope: 'admin' } });
    // token management itself is `manage`
    const reader = bearer((await create(boss, { name: 'reader', scopes: ['read'] })).token);
    const refused = await t.http().post('/v1/tokens').set(reader).send({ name: 'from a reader', scopes: ['read'] }).expect(403);
    expect(refused.body.details).toEqual({ required_scope: 'manage' });
  });

  it('streams and downloads with a read-only token (ranges included) and refuses it changes', async () => {
    const reader = bearer((await create(boss, { name: 'player', scopes: ['read'] })).token);
    const ranged = await t.http().get(`/v1/stream/${trackId}`).set(reader).set('Range', 'bytes=0-9').buffer(true).expect(206);
    expect((ranged.body as Buffer).length).toBe(10);
    const file = await t.http().get(`/v1/download/${trackId}`).set(reader).buffer(true).expect(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment/);
    expect((file.body as Buffer).subarray(0, 4).toString()).toBe('RIFF');
    await t.http().delete(`/v1/tracks/${trackId}`).set(reader).expect(403);
    await t.http().get(`/v1/tracks/${trackId}`).set(boss).expect(200);
  });

  it('keeps each token\u2019s own scopes in the authentication cache: one token\u2019s answer never serves another', async () => {
    const reader = bearer((await create(boss, { name: 'reader', scopes: ['read'] })).token);
    const manager = bearer((await create(boss, { name: 'manager', scopes: ['manage'] })).token);
    // first uses stamp last_used_at (at most once a minute), which drops what was kept of the token
    await t.http().get('/v1/me').set(reader).expect(200);
    await t.http().get('/v1/me').set(manager).expect(403);
    const counted = countRequestStatements();
    try {
      const statements = async (auth: Auth, path: string, status: number) => {
        counted.reset();
        await t.http().get(path).set(auth).set('Range', 'bytes=0-1').expect(status);
        return counted.count();
      };
      // both tokens, alternately, on routes that read the caller (and the track) from memory once known
      for (const path of [`/v1/stream/${trackId}`, '/v1/me']) {
        await statements(reader, path, path === '/v1/me' ? 200 : 206);
        await statements(manager, path, 403);
        // the reader's second request is answered from memory: the cache is in use, and still refuses the manager
        expect(await statements(reader, path, path === '/v1/me' ? 200 : 206)).toBe(0);
        await statements(manager, path, 403);
      }
      await t.http().get(`/v1/tracks/${trackId}/shares`).set(manager).expect(200);
      await t.http().get(`/v1/tracks/${trackId}/shares`).set(reader).expect(403);
    } finally {
      counted.restore();
    }
  });

  it('documents each operation\u2019s scope in the OpenAPI document', async () => {
    type Operation = { security?: Record<string, string[]>[]; description?: string; responses: Record<string, unknown>; 'x-required-scope'?: string };
    const doc = (await t.http().get('/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Operation>> };
    const secured = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).filter(([, op]) => op.security?.some((s) => 'api-token' in s)).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));
    expect(secured.length).toBeGreaterThan(50);
    expect(secured.filter(({ op }) => !op['x-required-scope']).map(({ route }) => route)).toEqual([]);
    for (const { op } of secured) {
      expect(op.description).toContain(`API tokens need the \`${op['x-required-scope']}\` scope`);
      expect(op.responses['403']).toBeDefined();
    }
    expect(doc.paths['/v1/stream/{id}'].get['x-required-scope']).toBe('read');
    expect(doc.paths['/v1/generations'].post['x-required-scope']).toBe('generate');
    expect(doc.paths['/v1/tracks/{id}'].patch['x-required-scope']).toBe('manage');
    expect(doc.paths['/v1/admin/users'].get['x-required-scope']).toBe('admin');
    expect(doc.paths['/v1/auth/login'].post['x-required-scope']).toBeUndefined();
  });
});

describe('API tokens made before scopes', () => {
  it('keep their owner\u2019s whole power: every scope, admin included where the owner is an admin', async () => {
    const db = await createTestDatabase();
    const mine = MIGRATIONS.findIndex((m) => m.name === 'ApiTokenScopes1764270000000');
    const legacy = (name: string) => `ttk_${createHash('sha256').update(name).digest('base64url')}`;
    const before = new DataSource({ ...dataSourceOptions(db.url, ENTITIES), migrations: MIGRATIONS.slice(0, mine) });
    await before.initialize();
    try {
      await before.runMigrations();
      const [admin] = await before.query<{ id: string }[]>(`INSERT INTO users (email, role) VALUES ('old-admin@example.com', 'admin') RETURNING id`);
      const [user] = await before.query<{ id: string }[]>(`INSERT INTO users (email) VALUES ('old-user@example.com') RETURNING id`);
      for (const [owner, name] of [[admin.id, 'admin script'], [user.id, 'user script']]) {
        const token = legacy(name);
        await before.query(`INSERT INTO api_tokens (user_id, name, token_hash, prefix, expires_at) VALUES ($1, $2, $3, $4, now() + interval '30 days')`, [owner, name, createHash('sha256').update(token).digest(), token.slice(0, 12)]);
      }
    } finally {
      await before.destroy();
    }
    const t = await startTestApp({}, { db });
    try {
      const adminToken = bearer(legacy('admin script'));
      const userToken = bearer(legacy('user script'));
      expect(((await t.http().get('/v1/tokens').set(adminToken).expect(200)).body as ApiTokenListResponse).items.map((i) => i.scopes)).toEqual([['read', 'generate', 'manage', 'admin']]);
      expect(((await t.http().get('/v1/tokens').set(userToken).expect(200)).body as ApiTokenListResponse).items.map((i) => i.scopes)).toEqual([['read', 'generate', 'manage']]);
      for (const auth of [adminToken, userToken]) {
        await t.http().get('/v1/library').set(auth).expect(200);
        await t.http().post('/v1/generations').set(auth).send({ prompt: 'old script', duration: 1 }).expect(202);
        await t.http().post('/v1/playlists').set(auth).send({ title: 'Old' }).expect(201);
      }
      await t.http().get('/v1/admin/users').set(adminToken).expect(200);
      // a user's token never held the admin scope
      expect((await t.http().get('/v1/admin/users').set(userToken).expect(403)).body.code).toBe('insufficient_scope');
    } finally {
      await t.close();
      await db.drop();
    }
  });
});
