/**
 * Malformed input is refused with a 400 before it reaches the database or anything
 * recursive: control characters in bodies, query strings and path parameters (one rule,
 * applied centrally), JSON nested deeper than 64 levels, undecodable compressed bodies and
 * cursors with out-of-range times. The database calls and error logs of the app (in this
 * process) are watched: none of these requests may send a NUL to Postgres or log an error.
 */
import { Logger } from '@nestjs/common';
import type { CreatedApiTokenResponse, ErrorResponse, GenerationResponse, MeResponse, PlaylistResponse } from '@texttune/contracts';
import { Client } from 'pg';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';

type Auth = { Authorization: string };

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('malformed input', () => {
  let t: TestApp;
  let user: Auth;
  let admin: Auth;
  let trackId: string;
  /** every value the app sends to Postgres */
  const sentValues: unknown[] = [];
  let errorLog: jest.SpyInstance;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAILS: 'admin@example.com' });
    await t.app.listen(0, '127.0.0.1');
    user = await signIn(t, 'someone@example.com');
    admin = await signIn(t, 'admin@example.com');
    const job = (await t.http().post('/v1/generations').set(user).send({ prompt: 'material', duration: 1 }).expect(202)).body as GenerationResponse;
    trackId = (await waitForStatus(t, user, job.job_id, ['succeeded'])).track_ids[0];
  }, 60_000);
  afterAll(() => t.close());

  beforeEach(() => {
    sentValues.length = 0;
    const query = Client.prototype.query as (...args: unknown[]) => unknown;
    jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const [first, second] = args;
      const config = typeof first === 'object' && first !== null ? (first as { text?: unknown; values?: unknown }) : undefined;
      sentValues.push(typeof first === 'string' ? first : config?.text, Array.isArray(second) ? second : config?.values);
      return query.apply(this, args);
    });
    errorLog = jest.spyOn(Logger.prototype, 'error');
  });
  afterEach(() => {
    const errors = [...errorLog.mock.calls];
    jest.restoreAllMocks();
    // Nothing with a NUL reached Postgres, and nothing was logged as an error.
    expect(JSON.stringify(sentValues)).not.toContain('\\u0000');
    expect(errors).toEqual([]);
  });

  /** Sends bytes as they are (supertest would serialize a Buffer as JSON under a JSON content type). */
  const postBytes = async (path: string, headers: Record<string, string>, body: Buffer | string) => {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers, body });
    return { status: res.status, body: (await res.json()) as ErrorResponse & { user?: MeResponse } };
  };

  const expectFields = (body: ErrorResponse, fields: string[]) => {
    expect(body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    expect(Object.keys((body.details as { fields: Record<string, string[]> }).fields).sort()).toEqual([...fields].sort());
  };

  describe('control characters', () => {
    it.each([
      ['/v1/library?q=%00', 'q'],
      ['/v1/library?q=a%1Bb', 'q'],
      ['/v1/library?q=two%0Alines', 'q'],
      ['/v1/library?cursor=%00', 'cursor'],
      ['/v1/generations?cursor=x%7F', 'cursor'],
    ])('GET %s: 400 naming %s', async (url, field) => {
      const res = await t.http().get(url).set(user).expect(400);
      expectFields(res.body as ErrorResponse, [field]);
      expect((res.body as ErrorResponse).message).toContain(`${field} must not contain control characters`);
    });

    it.each([
      ['/v1/admin/users?q=%00', 'q'],
      ['/v1/admin/audit?targetId=%00', 'targetId'],
      ['/v1/admin/jobs?userId=%00', 'userId'],
    ])('GET %s as an admin: 400 naming %s', async (url, field) => {
      expectFields((await t.http().get(url).set(admin).expect(400)).body as ErrorResponse, [field]);
    });

    it('in a JSON body: 400 naming the field, with the other problems of the body', async () => {
      expectFields((await t.http().post('/v1/tokens').set(user).send({ name: 'a\u0000b' }).expect(400)).body as ErrorResponse, ['name']);
      const both = await t.http().post('/v1/tokens').set(user).send({ name: 'a\u0000b', expiresInDays: 0 }).expect(400);
      expectFields(both.body as ErrorResponse, ['name', 'expiresInDays']);
      expectFields((await t.http().post('/v1/auth/login').send({ email: 'a\u0000@example.com' }).expect(400)).body as ErrorResponse, ['email']);
    });

    it('in nested values and arrays: the path of the value', async () => {
      const playlist = (await t.http().post('/v1/playlists').set(user).send({ title: 'list' }).expect(201)).body as PlaylistResponse;
      const res = await t.http().put(`/v1/playlists/${playlist.id}/order`).set(user).send({ trackIds: [trackId, 'x\u0000'] }).expect(400);
      expect((res.body as { details: { fields: Record<string, string[]> } }).details.fields['trackIds.1']).toContain('trackIds.1 must not contain control characters');
    });

    it('half of a surrogate pair (which validators throw on) is refused by the same rule', async () => {
      const send = (body: string) => t.http().post('/v1/auth/login').set('Content-Type', 'application/json').send(body).expect(400);
      expectFields((await send('{"email":"\\ud800"}')).body as ErrorResponse, ['email']);
      expectFields((await send('{"email":"a\\udc00@example.com"}')).body as ErrorResponse, ['email']);
      expect((await send('{"email":"\\ud800"}')).body.message).toContain('email must be valid Unicode text');
    });

    it('in a field name: refused', async () => {
      const res = await t.http().post('/v1/tokens').set(user).send({ name: 'ok', 'x\u0000': 1 }).expect(400);
      expect((res.body as ErrorResponse).code).toBe('validation_failed');
    });

    it.each([
      ['get', '/v1/tracks/%00'],
      ['get', `/v1/generations/x%00`],
      ['delete', '/v1/tokens/%07'],
      // read by the authentication, not by a pipe
      ['get', '/v1/stream/%00'],
      ['get', '/v1/download/abc%00'],
    ])('%s %s (a path parameter): 400 naming id', async (method, url) => {
      const res = await (method === 'get' ? t.http().get(url) : t.http().delete(url)).set(user).expect(400);
      expectFields(res.body as ErrorResponse, ['id']);
    });

    it('a prompt may hold tab and line breaks, not other control characters; a title may hold none', async () => {
      const ok = await t.http().post('/v1/generations').set(user).send({ prompt: 'verse\n\tchorus\r\nbridge', duration: 1 }).expect(202);
      await waitForStatus(t, user, (ok.body as GenerationResponse).job_id, ['succeeded']);
      const bell = await t.http().post('/v1/generations').set(user).send({ prompt: 'bell\u0007', duration: 1 }).expect(400);
      expect((bell.body as { details: { fields: Record<string, string[]> } }).details.fields.prompt).toEqual(['prompt must not contain control characters other than tab and line breaks']);
      expectFields((await t.http().patch(`/v1/tracks/${trackId}`).set(user).send({ title: 'two\nlines' }).expect(400)).body as ErrorResponse, ['title']);
    });

    it('text without control characters still goes through (unicode, emoji, quotes)', async () => {
      const created = (await t.http().post('/v1/tokens').set(user).send({ name: '피아노 🎹 "quoted" \\ back' }).expect(201)).body as CreatedApiTokenResponse;
      expect(created.name).toBe('피아노 🎹 "quoted" \\ back');
      // (the watch on the database sees what the app sends)
      expect(JSON.stringify(sentValues)).toContain('피아노 🎹');
      expect((await t.http().get(`/v1/library?q=${encodeURIComponent('피아노')}`).set(user).expect(200)).body).toHaveProperty('items');
      expect(((await t.http().get('/v1/me').set(user).expect(200)).body as MeResponse).email).toBe('someone@example.com');
    });
  });

  describe('nesting depth', () => {
    it('refuses JSON nested 4,000 levels deep with 400 body_too_deep, signed in or not', async () => {
      for (const [path, auth] of [
        ['/v1/auth/login', {}],
        ['/v1/generations', user],
        ['/v1/tokens', user],
      ] as const) {
        const res = await t.http().post(path).set(auth).set('Content-Type', 'application/json').send(`{"email":${nested(4000)}}`).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'body_too_deep', details: { maxDepth: 64 } });
      }
    });

    it('reads 64 levels, refuses 65, and does not count brackets inside strings', async () => {
      const at = (depth: number) => t.http().post('/v1/auth/login').set('Content-Type', 'application/json').send(`{"email":"a@example.com","x":${nested(depth - 1)}}`);
      expect((await at(64).expect(400)).body.code).toBe('validation_failed');
      expect((await at(65).expect(400)).body.code).toBe('body_too_deep');
      const quoted = await t.http().post('/v1/auth/login').set('Content-Type', 'application/json').send(`{"email":"${'['.repeat(500)}\\"${'{'.repeat(500)}"}`).expect(400);
      expect(quoted.body.code).toBe('validation_failed');
    });

    it('counts a UTF-16 body as the text it decodes to', async () => {
      const utf16 = (text: string) => postBytes('/v1/auth/login', { 'Content-Type': 'application/json; charset=utf-16le' }, Buffer.from(text, 'utf16le'));
      expect(await utf16(`{"email":${nested(100)}}`)).toMatchObject({ status: 400, body: { code: 'body_too_deep' } });
      expect(await utf16('{"email":"utf16@example.com"}')).toMatchObject({ status: 200, body: { user: { email: 'utf16@example.com' } } });
    });

    it('still answers a body over the 1 MB limit with 413, however deep', async () => {
      const deep = nested(600_000);
      expect(Buffer.byteLength(deep)).toBeGreaterThan(1024 * 1024);
      const res = await t.http().post('/v1/auth/login').set('Content-Type', 'application/json').send(deep).expect(413);
      expect(res.body.code).toBe('payload_too_large');
    });
  });

  describe('other bodies and cursors', () => {
    it('answers a body that does not decompress as its Content-Encoding says with 400 bad_request', async () => {
      for (const encoding of ['gzip', 'deflate', 'br']) {
        const res = await postBytes('/v1/auth/login', { 'Content-Type': 'application/json', 'Content-Encoding': encoding }, 'not compressed');
        expect(res).toMatchObject({ status: 400, body: { code: 'bad_request', message: expect.stringContaining('decompressed') } });
      }
      const gzip = await postBytes('/v1/auth/login', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, gzipSync('{"email":"gzip@example.com"}'));
      expect(gzip).toMatchObject({ status: 200, body: { user: { email: 'gzip@example.com' } } });
      const unknown = await postBytes('/v1/auth/login', { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' }, 'x');
      expect(unknown).toMatchObject({ status: 400, body: { code: 'bad_request', message: expect.stringContaining('Content-Encoding') } });
    });

    it.each([
      ['-271821-04-20T00:00:00.000Z'],
      ['+275760-09-13T00:00:00.000Z'],
      ['1'],
      ['2026-01-01'],
    ])('refuses a cursor with the time %s with 400 validation_failed', async (time) => {
      const cursor = Buffer.from(`${time}|00000000-0000-4000-8000-000000000000`).toString('base64url');
      for (const [path, auth] of [
        ['/v1/library', user],
        ['/v1/generations', user],
        ['/v1/admin/users', admin],
        ['/v1/admin/audit', admin],
      ] as const) {
        expectFields((await t.http().get(`${path}?cursor=${cursor}`).set(auth).expect(400)).body as ErrorResponse, ['cursor']);
      }
    });
  });

  it('keeps an idle keep-alive connection open longer than the 5 s Node closes it after', async () => {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/v1/health', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    try {
      expect(await get()).toEqual({ status: 200, reused: false });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      // The agent drops a socket the server closed, so a reused one is the same connection.
      expect(await get()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 20_000);
});
