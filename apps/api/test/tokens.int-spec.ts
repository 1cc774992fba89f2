import { API_TOKEN_PREFIX, type ApiTokenListResponse, type CreatedApiTokenResponse } from '@texttune/contracts';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { eventually, signIn } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';

interface OpenApiDocument {
  paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  components: { securitySchemes: Record<string, { type: string; scheme?: string; bearerFormat?: string }> };
}

describe('personal API tokens', () => {
  let t: TestApp;
  let db: Client;
  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const create = async (auth: { Authorization: string }, body: object = { name: 'portal back end', expiresInDays: 30 }) =>
    (await t.http().post('/v1/tokens').set(auth).send(body).expect(201)).body as CreatedApiTokenResponse;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('creates a token shown once, stored only as its SHA-256', async () => {
    const auth = await signIn(t);
    const before = Date.now();
    const created = await create(auth);
    expect(created.token).toMatch(new RegExp(`^${API_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`));
    expect(created).toMatchObject({ name: 'portal back end', prefix: created.token.slice(0, 12), lastUsedAt: null, expired: false });
    const expires = new Date(created.expiresAt).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 30 * 86_400_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000 + 1000);

    const { rows } = await db.query(`SELECT * FROM api_tokens WHERE id = $1`, [created.id]);
    expect(rows[0].token_hash).toEqual(createHash('sha256').update(created.token).digest());
    expect(JSON.stringify(rows[0])).not.toContain(created.token.slice(API_TOKEN_PREFIX.length));

    const list = (await t.http().get('/v1/tokens').set(auth).expect(200)).body as ApiTokenListResponse;
    expect(list.items).toEqual([{ id: created.id, name: 'portal back end', prefix: created.prefix, createdAt: created.createdAt, expiresAt: created.expiresAt, lastUsedAt: null, expired: false, scopes: ['read', 'generate', 'manage'] }]);
    expect(JSON.stringify(list)).not.toContain(created.token);
  });

  it('authenticates as Authorization: Bearer with the owner\u2019s identity and permissions, and records the last use', async () => {
    const auth = await signIn(t, 'owner@example.com');
    const me = (await t.http().get('/v1/me').set(auth).expect(200)).body;
    const { token, id } = await create(auth);
    const asToken = await t.http().get('/v1/me').set(bearer(token)).expect(200);
    expect(asToken.body).toEqual(me);
    // the owner's resources: generations are created and listed as the owner
    const job = await t.http().post('/v1/generations').set(bearer(token)).send({ prompt: 'calm piano', duration: 1 }).expect(202);
    const mine = await t.http().get('/v1/generations').set(auth).expect(200);
    expect(mine.body.items.map((j: { job_id: string }) => j.job_id)).toContain(job.body.job_id);
    // a token manages tokens too
    const listed = (await t.http().get('/v1/tokens').set(bearer(token)).expect(200)).body as ApiTokenListResponse;
    expect(listed.items.find((item) => item.id === id)?.lastUsedAt).not.toBeNull();
  });

  it('stops working at once when revoked; another user cannot revoke it', async () => {
    const auth = await signIn(t);
    const other = await signIn(t);
    const { token, id } = await create(auth);
    await t.http().get('/v1/me').set(bearer(token)).expect(200);
    const foreign = await t.http().delete(`/v1/tokens/${id}`).set(other).expect(404);
    expect(foreign.body.code).toBe('not_found');
    await t.http().get('/v1/me').set(bearer(token)).expect(200);

    await t.http().delete(`/v1/tokens/${id}`).set(auth).expect(204);
    const res = await t.http().get('/v1/me').set(bearer(token)).expect(401);
    expect(res.body).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/revoked/) });
    expect(((await t.http().get('/v1/tokens').set(auth).expect(200)).body as ApiTokenListResponse).items).toEqual([]);
    await t.http().delete(`/v1/tokens/${id}`).set(auth).expect(404);
    await t.http().delete('/v1/tokens/not-a-uuid').set(auth).expect(404);
  });

  it('answers 401 once the token has expired', async () => {
    const auth = await signIn(t);
    const { token, id } = await create(auth, { name: 'short', expiresInDays: 1 });
    await t.http().get('/v1/me').set(bearer(token)).expect(200);
    // by hand, on another connection: seen as its notice arrives
    await db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    await eventually(async () => (await t.http().get('/v1/me').set(bearer(token))).status === 401);
    const listed = (await t.http().get('/v1/tokens').set(auth).expect(200)).body as ApiTokenListResponse;
    expect(listed.items[0]).toMatchObject({ id, expired: true });
  });

  it('answers 401 when the owner is disabled', async () => {
    const auth = await signIn(t, 'to-disable@example.com');
    const { token } = await create(auth);
    await t.http().get('/v1/me').set(bearer(token)).expect(200);
    await db.query(`UPDATE users SET disabled_at = now() WHERE email = 'to-disable@example.com'`);
    await eventually(async () => (await t.http().get('/v1/me').set(bearer(token))).status === 401);
  });

  it('authenticates with one database statement, then from memory until the token, session or account changes', async () => {
    const auth = await signIn(t);
    const { token } = await create(auth);
    await t.http().get('/v1/me').set(bearer(token)).expect(200); // stamps last_used_at (at most once a minute)
    // Every statement of the app, TypeORM's and the named ones, goes through a pg Client.
    const spy = jest.spyOn(Client.prototype, 'query');
    try {
      const sqlOf = (query: unknown) => (typeof query === 'string' ? query : String((query as { text?: string } | undefined)?.text));
      const authStatements = () => spy.mock.calls.filter(([query]) => /\b(users|sessions|api_tokens)\b/.test(sqlOf(query))).length;
      const counts: number[] = [];
      for (const credentials of [bearer(token), bearer(token), auth, auth]) {
        spy.mockClear();
        await t.http().get('/v1/me').set(credentials).expect(200);
        counts.push(authStatements());
      }
      // (the session was read and kept by the token's creation)
      expect(counts).toEqual([1, 0, 0, 0]);
      // a change made by this process (any of its connections) is seen by the next request
      const me = (await t.http().get('/v1/me').set(auth).expect(200)).body as { id: string };
      await t.app.get(DataSource).query(`UPDATE users SET display_name = 'Renamed' WHERE id = $1`, [me.id]);
      spy.mockClear();
      expect((await t.http().get('/v1/me').set(bearer(token)).expect(200)).body.displayName).toBe('Renamed');
      expect(authStatements()).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses unknown and malformed tokens with 401 (and never takes them for session JWTs)', async () => {
    for (const token of [`${API_TOKEN_PREFIX}${'A'.repeat(43)}`, `${API_TOKEN_PREFIX}short`, `${API_TOKEN_PREFIX}${'A'.repeat(43)}x`]) {
      const res = await t.http().get('/v1/me').set(bearer(token)).expect(401);
      expect(res.body.code).toBe('unauthorized');
    }
  });

  it('validates the request', async () => {
    const auth = await signIn(t);
    const bad = await t.http().post('/v1/tokens').set(auth).send({ name: '  ', expiresInDays: 0 }).expect(400);
    expect(Object.keys(bad.body.details.fields).sort()).toEqual(['expiresInDays', 'name']);
    await t.http().post('/v1/tokens').set(auth).send({ name: 'x', expiresInDays: 366 }).expect(400);
    const unknownScope = await t.http().post('/v1/tokens').set(auth).send({ name: 'x', scopes: ['read', 'everything'] }).expect(400);
    expect(Object.keys(unknownScope.body.details.fields)).toEqual(['scopes']);
    await t.http().post('/v1/tokens').set(auth).send({ name: 'x', scopes: [] }).expect(400);
    await t.http().post('/v1/tokens').set(auth).send({ name: 'x', scopes: 'read' }).expect(400);
    const defaults = await create(auth, { name: 'default expiry' });
    expect(Math.round((new Date(defaults.expiresAt).getTime() - Date.now()) / 86_400_000)).toBe(90);
    await t.http().post('/v1/tokens').send({ name: 'anonymous' }).expect(401);
  });

  it('is not for guest accounts', async () => {
    const guest = await t.http().post('/v1/auth/guest').expect(201);
    const res = await t.http().post('/v1/tokens').set(bearer(guest.body.accessToken)).send({ name: 'x' }).expect(403);
    expect(res.body.code).toBe('forbidden');
  });

  it('is shown in the OpenAPI security schemes, accepted wherever bearer auth is', async () => {
    const doc = (await t.http().get('/docs/openapi.json').expect(200)).body as OpenApiDocument;
    expect(doc.components.securitySchemes['api-token']).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: `${API_TOKEN_PREFIX}…` });
    expect(doc.paths['/v1/me'].get.security).toEqual(expect.arrayContaining([{ bearer: [] }, { 'api-token': [] }]));
    expect(doc.paths['/v1/generations'].post.security).toEqual(expect.arrayContaining([{ 'api-token': [] }]));
    expect(doc.paths['/v1/tokens'].post.security).toEqual(expect.arrayContaining([{ 'api-token': [] }]));
    expect(doc.paths['/v1/auth/login'].post.security).toBeUndefined();
  });
});
