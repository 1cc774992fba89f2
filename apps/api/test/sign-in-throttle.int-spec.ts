import type { ErrorResponse } from '@texttune/contracts';
import { Redis } from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from './support/test-app';

const PASSWORD = 'the right password';
const WRONG = 'a wrong password';
const WINDOW_SECONDS = 15 * 60;
/** A test that hashes and verifies several passwords (argon2id, deliberately slow). */
const ARGON2_TEST_MS = 60_000;

interface Answer {
  status: number;
  retryAfter?: string;
  body: ErrorResponse & { accessToken?: string };
}

/** A sign-in request over a new connection from the loopback address `from` (127.0.0.0/8 is all local). */
function post(base: string, path: string, body: object, from: string): Promise<Answer> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${path}`,
      { method: 'POST', agent: false, localAddress: from, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: JSON.parse(text) as Answer['body'] }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The Retry-After of a 429, checked to be a whole number of seconds within the lockout window. */
function retryAfterSeconds(answer: Answer): number {
  expect(answer.retryAfter).toMatch(/^\d+$/);
  const seconds = Number(answer.retryAfter);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(WINDOW_SECONDS);
  return seconds;
}

describe('sign-in throttling, counted in memory (one API process)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // TRUST_PROXY: the client address comes from X-Forwarded-For, so one test client can be many addresses.
    t = await startTestApp({ TRUST_PROXY: 'true', AUTH_ACCOUNT_LOCKOUT_ATTEMPTS: '3', AUTH_RATE_LIMIT_PER_MINUTE: '5' });
  }, 30_000);
  afterAll(() => t.close(), 30_000);

  let nextAddress = 1;
  /** A client address not used before in this app, so the per-address limit stays out of the way. */
  const freshAddress = () => `198.51.100.${nextAddress++}`;
  const login = (email: string, password: string, from?: string) => {
    const req = t.http().post('/v1/auth/login');
    return (from ? req.set('X-Forwarded-For', from) : req).send({ email, password });
  };
  const register = (email: string) => t.http().post('/v1/auth/register').set('X-Forwarded-For', freshAddress()).send({ email, password: PASSWORD }).expect(201);

  it('refuses password sign-in to an account after 3 failures from two addresses, the right password too, with Retry-After', async () => {
    await register('victim@example.com');
    // no X-Forwarded-For: the socket's own address, 127.0.0.1
    for (const from of [undefined, undefined, '127.0.0.2']) {
      expect((await login('victim@example.com', WRONG, from).expect(401)).body.code).toBe('invalid_credentials');
    }
    const locked = await login('victim@example.com', PASSWORD, '127.0.0.2').expect(429);
    expect(locked.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
    expect(locked.body.message).toMatch(/this account/);
    const seconds = retryAfterSeconds({ status: locked.status, retryAfter: locked.headers['retry-after'], body: locked.body });
    expect(locked.body.details).toEqual({ retryAfterSeconds: seconds });
    // any address, any spelling of the email
    await login('  Victim@Example.COM ', PASSWORD, freshAddress()).expect(429);
    // other accounts and other sign-in methods are untouched
    await register('bystander@example.com');
    await login('bystander@example.com', PASSWORD, freshAddress()).expect(200);
    await t.http().post('/v1/auth/guest').set('X-Forwarded-For', freshAddress()).expect(201);
  }, ARGON2_TEST_MS);

  it('answers an unknown email exactly like a known one', async () => {
    await register('known@example.com');
    const answers = async (email: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await login(email, WRONG, freshAddress());
        seen.push(`${res.status} ${res.body.code} ${String(res.body.message).replace(/\d+/g, 'N')} ${res.headers['retry-after'] === undefined ? '' : 'Retry-After'}`);
      }
      return seen;
    };
    const known = await answers('known@example.com');
    expect(known).toEqual([...Array(3).fill(known[0]), expect.stringMatching(/^429 rate_limited .*Retry-After$/)]);
    expect(known[0]).toMatch(/^401 invalid_credentials/);
    expect(await answers('nobody-here@example.com')).toEqual(known);
  }, ARGON2_TEST_MS);

  it('starts the count again after a successful sign-in', async () => {
    await register('forgetful@example.com');
    for (let i = 0; i < 2; i++) await login('forgetful@example.com', WRONG, freshAddress()).expect(401);
    expect((await login('Forgetful@example.com', PASSWORD, freshAddress()).expect(200)).body.accessToken).toEqual(expect.any(String));
    for (let i = 0; i < 3; i++) await login('forgetful@example.com', WRONG, freshAddress()).expect(401);
    await login('forgetful@example.com', PASSWORD, freshAddress()).expect(429);
  }, ARGON2_TEST_MS);

  it('gives an address one budget across login, register and guest, which other addresses do not share', async () => {
    const from = '203.0.113.7';
    for (let i = 0; i < 5; i++) await login(`spray${i}@example.com`, WRONG, from).expect(401);
    const throttled = await login('spray5@example.com', WRONG, from).expect(429);
    expect(throttled.body).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/from this address/) });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    // the guest and registration routes draw on the same budget
    await t.http().post('/v1/auth/guest').set('X-Forwarded-For', from).expect(429);
    await t.http().post('/v1/auth/register').set('X-Forwarded-For', from).send({ email: 'late@example.com', password: PASSWORD }).expect(429);
    await t.http().post('/v1/auth/login').set('X-Forwarded-For', from).send({ email: 'late@example.com' }).expect(429);
    // another address still has its own
    await t.http().post('/v1/auth/guest').set('X-Forwarded-For', '203.0.113.8').expect(201);
  }, ARGON2_TEST_MS);
});

describe('sign-in throttling in Redis, shared by two API instances', () => {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `tt-throttle-${randomBytes(4).toString('hex')}`;
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, TEXTTUNE_ROLE: 'api', AUTH_ACCOUNT_LOCKOUT_ATTEMPTS: '3', AUTH_RATE_LIMIT_PER_MINUTE: '6' };
  let a: TestApp;
  let b: TestApp;
  const base = { a: '', b: '' };
  let redis: Redis;

  const listen = async (app: TestApp) => {
    const server = app.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const accountKey = (email: string) => `${prefix}:sign-in:account:${createHash('sha256').update(email).digest('hex')}`;

  beforeAll(async () => {
    a = await startTestApp(env);
    b = await startTestApp(env, { db: a.db, migrate: false });
    base.a = await listen(a);
    base.b = await listen(b);
    redis = new Redis(redisUrl);
  }, 60_000);

  afterAll(async () => {
    await b?.close();
    await a?.close();
    if (redis) {
      const keys: string[] = [];
      for await (const batch of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) keys.push(...batch);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  }, 30_000);

  let nextAddress = 20;
  const freshAddress = () => `127.0.0.${nextAddress++}`;
  const register = async (email: string) => expect((await post(base.a, '/v1/auth/register', { email, password: PASSWORD }, freshAddress())).status).toBe(201);

  it('locks an account for both instances after failures counted by either, from 127.0.0.1 and 127.0.0.2', async () => {
    await register('shared@example.com');
    expect((await post(base.a, '/v1/auth/login', { email: 'shared@example.com', password: WRONG }, '127.0.0.1')).status).toBe(401);
    expect((await post(base.b, '/v1/auth/login', { email: 'shared@example.com', password: WRONG }, '127.0.0.1')).status).toBe(401);
    expect((await post(base.b, '/v1/auth/login', { email: 'shared@example.com', password: WRONG }, '127.0.0.2')).status).toBe(401);

    const onA = await post(base.a, '/v1/auth/login', { email: 'shared@example.com', password: PASSWORD }, '127.0.0.2');
    expect(onA).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    retryAfterSeconds(onA);
    const onB = await post(base.b, '/v1/auth/login', { email: 'shared@example.com', password: PASSWORD }, freshAddress());
    expect(onB).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    retryAfterSeconds(onB);

    // The count is one Redis key (no email in it) whose window refused attempts do not extend.
    const key = accountKey('shared@example.com');
    expect(await redis.get(key)).toBe('5');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(WINDOW_SECONDS * 1000);
    expect((await post(base.a, '/v1/auth/login', { email: 'shared@example.com', password: PASSWORD }, freshAddress())).status).toBe(429);
    expect(await redis.pttl(key)).toBeLessThanOrEqual(ttl);
  }, ARGON2_TEST_MS);

  it('lets a success on one instance start the count again for the other', async () => {
    await register('reset@example.com');
    for (let i = 0; i < 2; i++) expect((await post(base.a, '/v1/auth/login', { email: 'reset@example.com', password: WRONG }, freshAddress())).status).toBe(401);
    expect((await post(base.b, '/v1/auth/login', { email: 'reset@example.com', password: PASSWORD }, freshAddress())).status).toBe(200);
    expect(await redis.exists(accountKey('reset@example.com'))).toBe(0);
    for (let i = 0; i < 3; i++) expect((await post(base.a, '/v1/auth/login', { email: 'reset@example.com', password: WRONG }, freshAddress())).status).toBe(401);
    expect((await post(base.b, '/v1/auth/login', { email: 'reset@example.com', password: PASSWORD }, freshAddress())).status).toBe(429);
  }, ARGON2_TEST_MS);

  it('lets no more than the limit through when attempts arrive at once on both instances', async () => {
    await register('rushed@example.com');
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post(i % 2 ? base.b : base.a, '/v1/auth/login', { email: 'rushed@example.com', password: WRONG }, freshAddress())),
    );
    // each attempt is counted atomically before its password is verified: 3 verified, 5 refused unverified
    expect(answers.map((answer) => answer.status).sort()).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
  }, ARGON2_TEST_MS);

  it('counts an address across instances and sign-in routes: guest sign-in from a throttled address is refused', async () => {
    const from = '127.0.0.9';
    for (let i = 0; i < 3; i++) expect((await post(base.a, '/v1/auth/login', { email: `spray${i}@example.com`, password: WRONG }, from)).status).toBe(401);
    for (let i = 3; i < 6; i++) expect((await post(base.b, '/v1/auth/login', { email: `spray${i}@example.com`, password: WRONG }, from)).status).toBe(401);
    const guest = await post(base.a, '/v1/auth/guest', {}, from);
    expect(guest).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    expect(Number(guest.retryAfter)).toBeGreaterThan(0);
    expect((await post(base.b, '/v1/auth/guest', {}, from)).status).toBe(429);
    expect((await post(base.b, '/v1/auth/register', { email: 'late@example.com', password: PASSWORD }, from)).status).toBe(429);
    // another address still signs in as a guest
    expect((await post(base.b, '/v1/auth/guest', {}, '127.0.0.10')).status).toBe(201);
  }, ARGON2_TEST_MS);
});
