/**
 * Bring your own Hugging Face token, over HTTP: `/v1/me/hf-token` with a
 * Hugging Face whoami that knows the token, cannot be reached, or refuses it (the fake
 * Space's `/api/whoami-v2` stands in for HF_HUB_URL); then jobs, with the real Gradio
 * engine and @gradio/client against the fake Space, carrying each user's own token —
 * and only theirs — or the server's, or none under HF_TOKEN_POLICY=user-only.
 */
import type { GenerationResponse, HfTokenStatus } from '@texttune/contracts';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { freePort } from '../src/common/free-port';
import { loadConfig } from '../src/config/app-config';
import { createEngines } from '../src/engines/create-engines';
import { GradioEngine } from '../src/engines/gradio';
import { SecretBox } from '../src/common/secret-box';
import { FakeSpace, type FakeRequest } from './support/fake-tools';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const SERVER_TOKEN = 'hf_serverToken00000000000000000000srv';
const ALICE_TOKEN = 'hf_aliceOwnToken111111111111111111aLcE';
const ALICE_NEW_TOKEN = 'hf_aliceNewToken22222222222222222222nEw';
const CAROL_TOKEN = 'hf_carolToken33333333333333333333333cRl';
const UNKNOWN_TOKEN = 'hf_unknownToken4444444444444444444unKn';
const TOKENS = [SERVER_TOKEN, ALICE_TOKEN, ALICE_NEW_TOKEN, CAROL_TOKEN, UNKNOWN_TOKEN];
const KEY = randomBytes(32);

type Auth = { Authorization: string };

/** The session a Space request belongs to (join body or the stream's query), if any. */
const sessionOf = (r: FakeRequest): string | null =>
  (r.body as { session_hash?: string } | undefined)?.session_hash ?? new URL(r.url, 'http://x').searchParams.get('session_hash');

describe('bring your own Hugging Face token', () => {
  let space: FakeSpace;
  let db: TestDatabase;
  let t: TestApp | undefined;
  /** every response body the API sent in this file: none may contain a token */
  const answered: string[] = [];

  async function boot(env: Record<string, string> = {}): Promise<TestApp> {
    await t?.close();
    const all = {
      HF_SPACE_ID: `${space.url}/`,
      HF_API_TOKEN: SERVER_TOKEN,
      HF_HUB_URL: space.url,
      SECRETS_KEY: KEY.toString('base64'),
      MAX_DURATION_SECONDS: '30',
      MAX_ACTIVE_JOBS_PER_USER: '10',
      JOB_MAX_ATTEMPTS: '1',
      JOB_BACKOFF_MS: '0',
      GENERATION_TIMEOUT_SECONDS: '30',
      ...env,
    };
    t = await startTestApp(all, { db, engines: createEngines(loadConfig({ NODE_ENV: 'test', ...all })) });
    return t;
  }

  const note = <R extends { text: string }>(res: R): R => (answered.push(res.text ?? ''), res);
  const getStatus = async (auth: Auth) => note(await t!.http().get('/v1/me/hf-token').set(auth).expect(200)).body as HfTokenStatus;
  const put = async (auth: Auth, token: unknown, status = 200) => note(await t!.http().put('/v1/me/hf-token').set(auth).send({ token }).expect(status)).body;
  const userId = async (auth: Auth) => (note(await t!.http().get('/v1/me').set(auth).expect(200)).body as { id: string }).id;

  async function generate(auth: Auth, prompt: string): Promise<GenerationResponse> {
    const res = note(await t!.http().post('/v1/generations').set(auth).send({ prompt, duration: 1 }).expect(202));
    const done = await waitForStatus(t!, auth, res.body.job_id, ['succeeded', 'failed', 'canceled'], 30_000);
    answered.push(JSON.stringify(done));
    return done;
  }

  /** The Authorization each Space request of the job with this prompt carried (join, stream). */
  async function authorizationOfJob(prompt: string): Promise<string[]> {
    const job = (await space.jobs()).find((j) => j.inputsByLabel['Input Text'] === prompt);
    if (!job) throw new Error(`the Space got no job "${prompt}"`);
    const sessionHash = (job as unknown as { sessionHash: string }).sessionHash;
    return [...new Set((await space.requests()).filter((r) => sessionOf(r) === sessionHash).map((r) => r.authorization ?? 'none'))];
  }

  const quiet: jest.SpyInstance[] = [];
  beforeAll(async () => {
    quiet.push(jest.spyOn(console, 'error').mockImplementation(() => undefined), jest.spyOn(console, 'warn').mockImplementation(() => undefined));
    [space, db] = await Promise.all([FakeSpace.start(), createTestDatabase()]);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([space?.stop(), db?.drop()]);
    quiet.forEach((spy) => spy.mockRestore());
  });

  describe('GET / PUT / DELETE /v1/me/hf-token', () => {
    let alice: Auth;
    beforeAll(async () => {
      await space.reset({ hubAccounts: { [ALICE_TOKEN]: 'alice', [ALICE_NEW_TOKEN]: 'alice' } });
      await boot({ HF_HUB_TIMEOUT_MS: '400' });
      alice = await signIn(t!);
    });

    it('starts unset, with the policy and whether tokens can be stored', async () => {
      expect(await getStatus(alice)).toEqual({ set: false, last4: null, account: null, verification: null, warning: null, updated_at: null, policy: 'server-fallback', available: true });
      await t!.http().get('/v1/me/hf-token').expect(401);
    });

    it('checks the token with whoami once, stores it sealed for this user, and shows only its last 4 characters and account', async () => {
      const saved = (await put(alice, ` ${ALICE_TOKEN} `)) as HfTokenStatus;
      expect(saved).toEqual({ set: true, last4: 'aLcE', account: 'alice', verification: 'verified', warning: null, updated_at: expect.any(String), policy: 'server-fallback', available: true });
      expect(await getStatus(alice)).toEqual(saved);
      const checks = await space.requests('whoami');
      expect(checks).toEqual([expect.objectContaining({ path: '/api/whoami-v2', authorization: `Bearer ${ALICE_TOKEN}`, status: 200 })]);

      const [row] = await t!.app.get(DataSource).query<{ user_id: string; token_sealed: Buffer; last4: string; key_id: string }[]>('SELECT * FROM hf_tokens');
      expect(row.user_id).toBe(await userId(alice));
      expect(row.token_sealed.includes(Buffer.from(ALICE_TOKEN))).toBe(false);
      expect(row.token_sealed.length).toBe(1 + 12 + 16 + ALICE_TOKEN.length);
      const box = new SecretBox(KEY);
      expect(row.key_id).toBe(box.keyId);
      expect(box.open(row.token_sealed, row.user_id)).toBe(ALICE_TOKEN);
      expect(() => box.open(row.token_sealed, '00000000-0000-4000-8000-000000000000')).toThrow(); // the user id is the associated data
    });

    it('refuses a token Hugging Face does not know with 400 hf_token_invalid, keeping the stored one', async () => {
      const before = await getStatus(alice);
      const refused = await put(alice, UNKNOWN_TOKEN, 400);
      expect(refused).toMatchObject({ statusCode: 400, code: 'hf_token_invalid', message: expect.stringContaining('Hugging Face does not accept this token') });
      expect(await getStatus(alice)).toEqual(before);
      expect((await space.requests('whoami')).at(-1)).toMatchObject({ authorization: `Bearer ${UNKNOWN_TOKEN}`, status: 401 });
    });

    it('refuses what cannot be a token without repeating it', async () => {
      for (const token of ['', 'hf_ has spaces inside', 'short', 42, null]) {
        const refused = await put(alice, token, 400);
        expect(refused).toMatchObject({ code: 'validation_failed', details: { fields: { token: expect.any(Array) } } });
        if (typeof token === 'string' && token) expect(JSON.stringify(refused)).not.toContain(token);
      }
      await t!.http().put('/v1/me/hf-token').set(alice).send({ token: ALICE_TOKEN, other: 1 }).expect(400);
    });

    it('accepts a token unverified, with a warning, when whoami does not answer in time; replacing the earlier one', async () => {
      await space.configure({ hubDelayMs: 2000 });
      try {
        const saved = (await put(alice, CAROL_TOKEN)) as HfTokenStatus;
        expect(saved).toMatchObject({ set: true, last4: CAROL_TOKEN.slice(-4), account: null, verification: 'unverified', warning: expect.stringMatching(/did not answer within 0\.4 s.*saved as it is/) });
        expect(saved.warning).not.toContain(CAROL_TOKEN);
      } finally {
        await space.configure({ hubDelayMs: 0 });
      }
      const [row] = await t!.app.get(DataSource).query<{ token_sealed: Buffer; user_id: string }[]>('SELECT token_sealed, user_id FROM hf_tokens');
      expect(new SecretBox(KEY).open(row.token_sealed, row.user_id)).toBe(CAROL_TOKEN);
    });

    it('replaces and removes it; DELETE answers 204 also when nothing is stored', async () => {
      expect(await put(alice, ALICE_NEW_TOKEN)).toMatchObject({ last4: ALICE_NEW_TOKEN.slice(-4), verification: 'verified', account: 'alice' });
      note(await t!.http().delete('/v1/me/hf-token').set(alice).expect(204));
      expect(await getStatus(alice)).toMatchObject({ set: false, last4: null });
      expect(await t!.app.get(DataSource).query('SELECT 1 FROM hf_tokens')).toEqual([]);
      note(await t!.http().delete('/v1/me/hf-token').set(alice).expect(204));
    });

    it('is per user: one user never sees or changes another\u2019s', async () => {
      const bob = await signIn(t!);
      await put(alice, ALICE_TOKEN);
      expect(await getStatus(bob)).toMatchObject({ set: false });
      note(await t!.http().delete('/v1/me/hf-token').set(bob).expect(204));
      expect(await getStatus(alice)).toMatchObject({ set: true, last4: 'aLcE' });
    });

    it('accepts it unverified when Hugging Face cannot be reached at all', async () => {
      await boot({ HF_HUB_URL: `http://127.0.0.1:${await freePort()}` });
      const carol = await signIn(t!);
      expect(await put(carol, CAROL_TOKEN)).toMatchObject({ set: true, verification: 'unverified', warning: expect.stringMatching(/could not be reached \(ECONNREFUSED\)/) });
    });

    it('without SECRETS_KEY: GET says tokens cannot be stored, PUT answers 503 naming SECRETS_KEY, and a stored token is not used', async () => {
      await boot({ SECRETS_KEY: '' });
      const dave = await signIn(t!);
      expect(await getStatus(dave)).toMatchObject({ set: false, available: false });
      const checks = (await space.requests('whoami')).length;
      const refused = await put(dave, CAROL_TOKEN, 503);
      expect(refused).toMatchObject({ code: 'not_ready', message: expect.stringContaining('SECRETS_KEY'), details: { missing: 'SECRETS_KEY' } });
      expect(await space.requests('whoami')).toHaveLength(checks); // refused before asking Hugging Face
      expect(await getStatus(alice)).toMatchObject({ set: true, warning: expect.stringContaining('SECRETS_KEY is not set') });
      const done = await generate(alice, 'no key');
      expect(done.error).toEqual({ code: 'space_auth', message: expect.stringContaining('this server cannot read it: its SECRETS_KEY is not set') });
    });

    it('a key that changed: the stored token is reported unreadable', async () => {
      await boot({ SECRETS_KEY: randomBytes(32).toString('hex') });
      expect(await getStatus(alice)).toMatchObject({ set: true, warning: expect.stringContaining('another SECRETS_KEY') });
      const done = await generate(alice, 'old key');
      expect(done.error).toEqual({ code: 'space_auth', message: expect.stringContaining('another SECRETS_KEY') });
    });
  });

  describe('jobs', () => {
    let alice: Auth;
    let bob: Auth;
    beforeAll(async () => {
      await space.reset({ hubAccounts: { [ALICE_TOKEN]: 'alice', [ALICE_NEW_TOKEN]: 'alice' } });
      await t?.app.get(DataSource).query('DELETE FROM hf_tokens');
      await boot();
      [alice, bob] = [await signIn(t!), await signIn(t!)];
      await put(alice, ALICE_TOKEN);
    });
    beforeEach(() => space.reset({ hubAccounts: { [ALICE_TOKEN]: 'alice', [ALICE_NEW_TOKEN]: 'alice' } }));

    it("a user's jobs carry their own token, and only theirs; the others' carry the server's", async () => {
      const [a, b] = await Promise.all([generate(alice, 'alice plays'), generate(bob, 'bob plays')]);
      expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
      expect(await authorizationOfJob('alice plays')).toEqual([`Bearer ${ALICE_TOKEN}`]);
      expect(await authorizationOfJob('bob plays')).toEqual([`Bearer ${SERVER_TOKEN}`]);
      const tracks = await t!.app.get(DataSource).query(`SELECT prompt_raw, engine_meta->>'hf_token' AS hf_token FROM tracks ORDER BY prompt_raw`);
      expect(tracks).toEqual([
        { prompt_raw: 'alice plays', hf_token: 'user' },
        { prompt_raw: 'bob plays', hf_token: 'server' },
      ]);
      // Alice's token went to the Space's own routes only, on her own connection.
      const withAlice = (await space.requests()).filter((r) => r.authorization === `Bearer ${ALICE_TOKEN}`);
      expect(new Set(withAlice.map((r) => r.route))).toEqual(new Set(['config', 'info', 'join', 'data', 'file']));
    });

    it('a replaced token is used from the next job on', async () => {
      await put(alice, ALICE_NEW_TOKEN);
      expect((await generate(alice, 'alice again')).status).toBe('succeeded');
      expect(await authorizationOfJob('alice again')).toEqual([`Bearer ${ALICE_NEW_TOKEN}`]);
      await put(alice, ALICE_TOKEN);
    });

    it("a cancel reaches the Space with the user's token", async () => {
      await space.configure({ fail: 'slow', slowMs: 20_000 });
      const created = note(await t!.http().post('/v1/generations').set(alice).send({ prompt: 'alice cancels', duration: 2 }).expect(202)).body as GenerationResponse;
      const deadline = Date.now() + 10_000;
      while (!(await space.jobs()).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      note(await t!.http().post(`/v1/generations/${created.job_id}/cancel`).set(alice).expect(200));
      let cancels: FakeRequest[] = [];
      while (!(cancels = await space.requests('cancel')).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(cancels[0]).toMatchObject({ authorization: `Bearer ${ALICE_TOKEN}` });
    });

    it("quota errors say whose quota ran out: the user's own token's, or the server's", async () => {
      await space.configure({ fail: 'quota' });
      const [a, b] = await Promise.all([generate(alice, 'alice out of quota'), generate(bob, 'bob out of quota')]);
      expect(a.error).toEqual({ code: 'space_quota', message: expect.stringMatching(/out of ZeroGPU quota and asks to wait 13 min 27 s: your Hugging Face token's quota \(account alice\) has no GPU time left\./) });
      expect(b.error).toEqual({ code: 'space_quota', message: expect.stringMatching(/: the server's quota \(the account of HF_API_TOKEN\) has no GPU time left\./) });
      expect(b.error!.message).not.toMatch(/your Hugging Face token's/);
    });

    it("a private Space that refuses the user's token: space_auth telling them to replace theirs", async () => {
      await space.configure({ requireToken: SERVER_TOKEN });
      const [a, b] = await Promise.all([generate(alice, 'alice refused'), generate(bob, 'bob let in')]);
      expect(a.error).toEqual({ code: 'space_auth', message: expect.stringMatching(/refused your Hugging Face token \(HTTP 401\): replace your Hugging Face token in Settings/) });
      expect(b.status).toBe('succeeded');
    });

    it('a stored token that was altered fails the job with space_auth and a sentence, not a crash', async () => {
      const ds = t!.app.get(DataSource);
      const id = await userId(alice);
      const [{ token_sealed: sealed }] = await ds.query<{ token_sealed: Buffer }[]>('SELECT token_sealed FROM hf_tokens WHERE user_id = $1', [id]);
      const altered = Buffer.from(sealed);
      altered[altered.length - 3] ^= 0x20;
      await ds.query('UPDATE hf_tokens SET token_sealed = $2 WHERE user_id = $1', [id, altered]);
      try {
        const done = await generate(alice, 'alice tampered');
        expect(done.error).toEqual({ code: 'space_auth', message: 'Your stored Hugging Face token cannot be decrypted (it was damaged or altered), so it was not used: set it again in Settings.' });
        expect((await space.jobs()).find((j) => j.inputsByLabel['Input Text'] === 'alice tampered')).toBeUndefined();
        expect(await getStatus(alice)).toMatchObject({ set: true, last4: 'aLcE' });
        expect((await generate(bob, 'bob unaffected')).status).toBe('succeeded');
      } finally {
        await ds.query('UPDATE hf_tokens SET token_sealed = $2 WHERE user_id = $1', [id, sealed]);
      }
    });

    it('keeps English prompts for the Space (the engine behind EnglishPromptEngine gets the tokens too)', async () => {
      const done = await generate(alice, '잔잔한 재즈 피아노');
      expect(done.status).toBe('succeeded');
      expect(await authorizationOfJob('calm jazz piano')).toEqual([`Bearer ${ALICE_TOKEN}`]);
    });
  });

  describe('HF_TOKEN_POLICY=user-only', () => {
    let alice: Auth;
    let bob: Auth;
    beforeAll(async () => {
      await space.reset({ hubAccounts: { [ALICE_TOKEN]: 'alice' } });
      await boot({ HF_TOKEN_POLICY: 'user-only' });
      [alice, bob] = [await signIn(t!), await signIn(t!)];
      await put(alice, ALICE_TOKEN);
    });

    it('never sends the server token: users without their own get a space_auth failure saying to set it in Settings', async () => {
      expect(await getStatus(bob)).toMatchObject({ set: false, policy: 'user-only' });
      const engines = note(await t!.http().get('/v1/engines').set(bob).expect(200)).body.items as { id: string; details: Record<string, unknown> }[];
      expect(engines[0].details).toMatchObject({ hf_token_policy: 'user-only', state: 'connected' });
      const [a, b] = await Promise.all([generate(alice, 'alice only'), generate(bob, 'bob without')]);
      expect(a.status).toBe('succeeded');
      expect(await authorizationOfJob('alice only')).toEqual([`Bearer ${ALICE_TOKEN}`]);
      expect(b.error).toEqual({ code: 'space_auth', message: expect.stringMatching(/each person's own Hugging Face token, and you have not set yours: add a Hugging Face access token .* in Settings/) });
      expect((await space.jobs()).map((j) => j.inputsByLabel['Input Text'])).toEqual(['alice only']);
      const seen = new Set((await space.requests()).map((r) => r.authorization));
      expect(seen.has(`Bearer ${SERVER_TOKEN}`)).toBe(false);
      expect(seen).toEqual(new Set([null, `Bearer ${ALICE_TOKEN}`])); // GET /v1/engines connects without a token
    });
  });

  describe('the engine: one connection per token', () => {
    it('reuses a token\'s client, keeps at most maxUserConnections idle ones, and closes them all at shutdown', async () => {
      await space.reset();
      const tokens: Record<string, string> = { u1: 'hf_poolToken1aaaaaaaaaaaaaaaaaaaaaaaaaa', u2: 'hf_poolToken2bbbbbbbbbbbbbbbbbbbbbbbbbb' };
      const source = { tokenFor: async (userId: string) => (tokens[userId] ? { token: tokens[userId], account: null, last4: tokens[userId].slice(-4) } : null) };
      const engine = new GradioEngine({ space: space.url, token: SERVER_TOKEN, timeoutSeconds: 20, maxAudioBytes: 10_000_000, userTokens: source, maxUserConnections: 1 });
      const pool = (engine as unknown as { users: Map<string, unknown> }).users;
      const run = async (userId: string, prompt: string) => {
        const audio = await engine.generate(
          { prompt, durationSeconds: 1, sampleRate: 32000, seed: 1, quality: 'draft', sampling: {}, take: 0, userId },
          { signal: new AbortController().signal, onProgress: () => undefined },
        );
        for await (const chunk of audio.body as Readable) void chunk;
        return audio.metadata.hf_token;
      };
      const configsWith = async (token: string) => (await space.requests('config')).filter((r) => r.authorization === `Bearer ${token}`).length;
      try {
        expect([await run('u1', 'pool 1'), await run('u1', 'pool 2')]).toEqual(['user', 'user']);
        expect(await configsWith(tokens.u1)).toBe(1); // one connection, two jobs
        expect(await run('nobody', 'pool 3')).toBe('server');
        expect(await run('u2', 'pool 4')).toBe('user');
        expect(pool.size).toBe(1); // u1's idle client was closed
        expect(await run('u1', 'pool 5')).toBe('user');
        expect(await configsWith(tokens.u1)).toBe(2); // and opened again
        for (const [prompt, token] of [['pool 1', tokens.u1], ['pool 3', SERVER_TOKEN], ['pool 4', tokens.u2], ['pool 5', tokens.u1]]) {
          expect(await authorizationOfJob(prompt)).toEqual([`Bearer ${token}`]);
        }
      } finally {
        await engine.close();
      }
      expect(pool.size).toBe(0);
    });
  });

  describe('in the end', () => {
    it('no response of this file contained a token', () => {
      expect(answered.length).toBeGreaterThan(30);
      for (const token of TOKENS) expect(answered.filter((text) => text.includes(token))).toEqual([]);
    });
  });
});
