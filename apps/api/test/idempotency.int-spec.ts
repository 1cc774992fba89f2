import type { AdminUser, EngineDescription, ErrorResponse, GenerationListResponse, GenerationResponse, MeResponse } from '@texttune/contracts';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import type { EngineAudio, EngineRequest, EngineRunContext, MusicEngine } from '../src/engines/music-engine';
import { IdempotencyStore } from '../src/idempotency/idempotency.store';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

type Auth = { Authorization: string };

/** An engine whose readiness check can hold one request: it holds its key while it waits. */
class GatedEngine implements MusicEngine {
  readonly id = 'gated';
  private readonly engine = new TestEngine(this.id);
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  private onEntered: (() => void) | null = null;
  /** How long each readiness check takes: keeps requests in flight so that they overlap. */
  describeMs = 0;

  /** Holds the next request that asks for the engine; resolves once it is waiting. */
  hold(): Promise<void> {
    this.gate = new Promise((resolve) => (this.open = resolve));
    return new Promise((resolve) => (this.onEntered = resolve));
  }

  release(): void {
    this.open?.();
  }

  async describe(): Promise<EngineDescription> {
    const gate = this.gate;
    // One request only: any other passes, so a request that should not get this far shows as a failed expectation.
    this.gate = null;
    if (gate) {
      this.onEntered?.();
      await gate;
    }
    if (this.describeMs) await new Promise((resolve) => setTimeout(resolve, this.describeMs));
    return this.engine.describe();
  }

  generate(request: EngineRequest, context: EngineRunContext): Promise<EngineAudio> {
    return this.engine.generate(request, context);
  }
}

const QUOTA_SECONDS = 3;

describe('Idempotency-Key on POST /v1/generations and /v1/tracks/:id/regenerate', () => {
  let t: TestApp;
  const engine = new TestEngine('test');
  const gated = new GatedEngine();
  let boss: Auth;

  beforeAll(async () => {
    t = await startTestApp(
      { ADMIN_EMAILS: 'boss@example.com', DEFAULT_ENGINE: 'test', DAILY_SECONDS_QUOTA: String(QUOTA_SECONDS), MAX_ACTIVE_JOBS_PER_USER: '50', AUTH_RATE_LIMIT_PER_MINUTE: '1000' },
      { engines: [engine, gated] },
    );
    boss = await signIn(t, 'boss@example.com');
  });
  afterAll(() => t.close());

  const db = () => t.app.get(DataSource);

  const generate = (auth: Auth, body: object, key?: string) => {
    const req = t.http().post('/v1/generations').set(auth);
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
  };
  const jobsOf = async (auth: Auth) => ((await t.http().get('/v1/generations?limit=50').set(auth).expect(200)).body as GenerationListResponse).items;
  const secondsToday = async (auth: Auth) => {
    const { id } = (await t.http().get('/v1/me').set(auth).expect(200)).body as MeResponse;
    return ((await t.http().get(`/v1/admin/users/${id}`).set(boss).expect(200)).body as AdminUser).usage.audioSecondsToday;
  };
  const keyRow = async (key: string) =>
    (await db().query<{
      created_at: Date;
      expires_at: Date;
      lock_token: string | null;
      response_status: number | null;
    }[]>(`SELECT created_at, expires_at, lock_token, response_status FROM idempotency_keys WHERE key = $1`, [key]))[0];
  const expectError = (res: Response, status: number, code: ErrorResponse['code']) => {
    expect({ status: res.status, code: (res.body as ErrorResponse).code }).toEqual({ status, code });
    return res.body as ErrorResponse;
  };

  it('answers a retry with the first response, without a second job or a second quota charge', async () => {
    const auth = await signIn(t);
    const body = { prompt: 'calm lo-fi piano, 80 bpm', duration: 2, params: { topK: 50, temperature: 1 } };
    const first = await generate(auth, body, 'order-7f3c2a').expect(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const job = first.body as GenerationResponse;

    const again = await generate(auth, body, 'order-7f3c2a').expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    // The same JSON with its keys in another order is the same request.
    const reordered = await generate(auth, { params: { temperature: 1, topK: 50 }, duration: 2, prompt: 'calm lo-fi piano, 80 bpm' }, 'order-7f3c2a').expect(202);
    expect(reordered.body).toEqual(job);

    expect((await jobsOf(auth)).map((j) => j.job_id)).toEqual([job.job_id]);
    expect(await secondsToday(auth)).toBe(2);
    // The quota (3 s a day) has room for one more second only: the replays charged nothing.
    expectError(await generate(auth, body, 'order-8a01b9'), 429, 'quota_exceeded');
    await waitForStatus(t, auth, job.job_id, ['succeeded']);
    // After the job finished, a retry still gets the response it got first.
    expect((await generate(auth, body, 'order-7f3c2a').expect(202)).body).toEqual(job);
  });

  it('accepts the key as a Structured Field string ("…"), the same key as the bare value', async () => {
    const auth = await signIn(t);
    const first = await generate(auth, { prompt: 'rainy jazz', duration: 1 }, '"sf-key-1"').expect(202);
    const bare = await generate(auth, { prompt: 'rainy jazz', duration: 1 }, 'sf-key-1').expect(202);
    expect(bare.headers['idempotent-replayed']).toBe('true');
    expect(bare.body.job_id).toBe(first.body.job_id);
    expect(await jobsOf(auth)).toHaveLength(1);
  });

  it('refuses the key for a different body or another endpoint with 422 idempotency_key_reused', async () => {
    const auth = await signIn(t);
    const first = await generate(auth, { prompt: 'epic trailer in D minor', duration: 1 }, 'key-reuse').expect(202);
    const other = expectError(await generate(auth, { prompt: 'epic trailer in D minor', duration: 2 }, 'key-reuse'), 422, 'idempotency_key_reused');
    expect(other.message).toContain('Idempotency-Key');
    expect(other.details).toMatchObject({ key: 'key-reuse', method: 'POST', path: '/v1/generations' });

    const done = await waitForStatus(t, auth, first.body.job_id, ['succeeded']);
    const regenerate = await t.http().post(`/v1/tracks/${done.track_ids[0]}/regenerate`).set(auth).set('Idempotency-Key', 'key-reuse').send({ seed: 'same' });
    expectError(regenerate, 422, 'idempotency_key_reused');
    // The key still answers its own request.
    expect((await generate(auth, { prompt: 'epic trailer in D minor', duration: 1 }, 'key-reuse').expect(202)).body.job_id).toBe(first.body.job_id);
    expect(await jobsOf(auth)).toHaveLength(1);
  });

  it('answers 409 idempotency_key_in_use with Retry-After while the first request runs, then its response', async () => {
    const auth = await signIn(t);
    const body = { prompt: 'slow start', duration: 1, engine: 'gated' };
    const waiting = gated.hold();
    const firstRequest = generate(auth, body, 'in-flight').then((res) => res);
    await waiting;
    try {
      const busy = await generate(auth, body, 'in-flight');
      const error = expectError(busy, 409, 'idempotency_key_in_use');
      expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(error.details).toMatchObject({ key: 'in-flight' });
      // A different body is a misuse whatever the state of the first request.
      expectError(await generate(auth, { ...body, duration: 2 }, 'in-flight'), 422, 'idempotency_key_reused');
    } finally {
      gated.release();
    }
    const first = await firstRequest;
    expect(first.status).toBe(202);
    const retry = await generate(auth, body, 'in-flight').expect(202);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.job_id).toBe(first.body.job_id);
    expect(await jobsOf(auth)).toHaveLength(1);
  });

  it('makes exactly one job of five concurrent requests with one key', async () => {
    const auth = await signIn(t);
    // A slow engine check keeps the first request in flight while the others arrive.
    const body = { prompt: 'five at once', duration: 1, engine: 'gated' };
    gated.describeMs = 300;
    const responses = await Promise.all(Array.from({ length: 5 }, () => generate(auth, body, 'concurrent-5'))).finally(() => (gated.describeMs = 0));
    const jobs = await jobsOf(auth);
    expect(jobs).toHaveLength(1);
    expect(await secondsToday(auth)).toBe(1);
    for (const res of responses) {
      if (res.status === 202) expect(res.body.job_id).toBe(jobs[0].job_id);
      else {
        expectError(res, 409, 'idempotency_key_in_use');
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
      }
    }
    // One of them ran the request; every other one was answered from the key.
    expect(responses.filter((res) => res.status === 202 && res.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect((await generate(auth, body, 'concurrent-5').expect(202)).body.job_id).toBe(jobs[0].job_id);
  });

  it('keeps keys per account: another user with the same key gets their own job', async () => {
    const alice = await signIn(t);
    const bob = await signIn(t);
    const body = { prompt: 'shared key', duration: 1 };
    const a = await generate(alice, body, 'same-key-for-both').expect(202);
    const b = await generate(bob, body, 'same-key-for-both').expect(202);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.body.job_id).not.toBe(a.body.job_id);
    expect((await jobsOf(bob)).map((j) => j.job_id)).toEqual([b.body.job_id]);
    expect((await jobsOf(alice)).map((j) => j.job_id)).toEqual([a.body.job_id]);
  });

  it('makes regenerate idempotent the same way', async () => {
    const auth = await signIn(t);
    const made = await generate(auth, { prompt: 'house groove', duration: 1 }).expect(202);
    const done = await waitForStatus(t, auth, made.body.job_id, ['succeeded']);
    const regenerate = (body: object, key: string) => t.http().post(`/v1/tracks/${done.track_ids[0]}/regenerate`).set(auth).set('Idempotency-Key', key).send(body);

    const first = await regenerate({ seed: 'new' }, 'regen-1').expect(202);
    const again = await regenerate({ seed: 'new' }, 'regen-1').expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // "new" picks a random seed: only a replay answers with the first one's.
    expect(again.body).toEqual(first.body);
    expectError(await regenerate({ seed: 'same' }, 'regen-1'), 422, 'idempotency_key_reused');
    expect(await jobsOf(auth)).toHaveLength(2);
    expect(await secondsToday(auth)).toBe(2);
    // Without a key a regenerate is a new job each time, as it always was.
    await t.http().post(`/v1/tracks/${done.track_ids[0]}/regenerate`).set(auth).send({ seed: 'new' }).expect(202);
    expect(await jobsOf(auth)).toHaveLength(3);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['not ASCII', 'clé-1'],
    ['a broken quoted string', '"unterminated'],
  ])('refuses a key that is %s with 400 validation_failed naming the header, and makes no job', async (_name, key) => {
    const auth = await signIn(t);
    const error = expectError(await generate(auth, { prompt: 'bad key', duration: 1 }, key), 400, 'validation_failed');
    expect(error.message).toContain('Idempotency-Key');
    expect(error.details).toMatchObject({ fields: { 'Idempotency-Key': [expect.stringContaining('Idempotency-Key')] } });
    expect(await jobsOf(auth)).toHaveLength(0);
  });

  it('accepts a key of 255 printable ASCII characters', async () => {
    const auth = await signIn(t);
    const key = `${'~ !'.repeat(85)}`;
    expect(key).toHaveLength(255);
    const first = await generate(auth, { prompt: 'long key', duration: 1 }, key).expect(202);
    expect((await generate(auth, { prompt: 'long key', duration: 1 }, key).expect(202)).body.job_id).toBe(first.body.job_id);
  });

  it('frees the key of a failed request, so a corrected retry with it runs', async () => {
    const auth = await signIn(t);
    expectError(await generate(auth, { prompt: 'too long', duration: 999 }, 'fix-and-retry'), 400, 'duration_too_long');
    expectError(await generate(auth, { prompt: 'too long', duration: 1, quality: 'ultra' }, 'fix-and-retry'), 400, 'validation_failed');
    expect(await keyRow('fix-and-retry')).toBeUndefined();
    const fixed = await generate(auth, { prompt: 'too long', duration: 1 }, 'fix-and-retry').expect(202);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
    expect(await jobsOf(auth)).toHaveLength(1);
  });

  it('lets a retry take over the key of a request whose process died (its lock is past IDEMPOTENCY_LOCK_SECONDS)', async () => {
    const auth = await signIn(t);
    const { id } = (await t.http().get('/v1/me').set(auth).expect(200)).body as MeResponse;
    const body = { prompt: 'crashed', duration: 1 };
    await generate(auth, body, 'crash-probe').expect(202);
    // The row a request leaves when its process dies mid-request: locked, no response.
    await db().query(
      `INSERT INTO idempotency_keys (user_id, key, method, path, fingerprint, lock_token, locked_at, expires_at)
       SELECT user_id, 'crashed-key', method, path, fingerprint, gen_random_uuid(), $2, now() + interval '1 day' FROM idempotency_keys WHERE user_id = $1 AND key = 'crash-probe'`,
      [id, new Date(Date.now() - 5000)],
    );
    expectError(await generate(auth, body, 'crashed-key'), 409, 'idempotency_key_in_use');
    await db().query(`UPDATE idempotency_keys SET locked_at = now() - interval '61 seconds' WHERE key = 'crashed-key'`);
    const retried = await generate(auth, body, 'crashed-key').expect(202);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect((await generate(auth, body, 'crashed-key').expect(202)).body.job_id).toBe(retried.body.job_id);
    expect(await jobsOf(auth)).toHaveLength(2);
  });

  it('keeps a key for IDEMPOTENCY_KEY_TTL_HOURS; an expired key starts afresh, and the purge deletes expired keys', async () => {
    const auth = await signIn(t);
    const first = await generate(auth, { prompt: 'expiring', duration: 1 }, 'expiring-key').expect(202);
    const row = await keyRow('expiring-key');
    expect(row).toMatchObject({ lock_token: null, response_status: 202 });
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBe(t.config.idempotency.ttlHours * 3600_000);
    expect(t.config.idempotency.ttlHours).toBe(24);

    await db().query(`UPDATE idempotency_keys SET created_at = created_at - interval '25 hours', expires_at = expires_at - interval '25 hours' WHERE key = 'expiring-key'`);
    // Expired: the key is free again, even for another body.
    const fresh = await generate(auth, { prompt: 'expiring', duration: 2 }, 'expiring-key').expect(202);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(fresh.body.job_id).not.toBe(first.body.job_id);
    expect(await jobsOf(auth)).toHaveLength(2);

    const other = await signIn(t);
    await generate(other, { prompt: 'purged', duration: 1 }, 'purged-key').expect(202);
    await db().query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'purged-key'`);
    expect(await t.app.get(IdempotencyStore).purgeExpired()).toBe(1);
    expect(await keyRow('purged-key')).toBeUndefined();
    expect(await keyRow('expiring-key')).toMatchObject({ response_status: 202 });
  });

  it('leaves requests without the header as they were: each one is a new job', async () => {
    const auth = await signIn(t);
    const body = { prompt: 'no key', duration: 1 };
    const a = await generate(auth, body).expect(202);
    const b = await generate(auth, body).expect(202);
    expect(b.body.job_id).not.toBe(a.body.job_id);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
  });

  it('documents the optional header and its errors on each operation, with no prefilled key to reuse across Try it out', async () => {
    type Operation = { parameters?: { name: string; in: string; required?: boolean; example?: string; schema?: { example?: string } }[]; responses: Record<string, unknown> };
    const doc = (await t.http().get('/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Operation>> };
    for (const operation of [doc.paths['/v1/generations'].post, doc.paths['/v1/tracks/{id}/regenerate'].post, doc.paths['/v1/webhooks'].post]) {
      const header = operation.parameters?.find((p) => p.name === 'Idempotency-Key');
      expect(header).toMatchObject({ in: 'header', required: false, schema: { type: 'string', maxLength: 255 } });
      expect(header?.example ?? header?.schema?.example).toBeUndefined();
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['409', '422']));
    }
  });

  it('replays POST /v1/webhooks with the signing secret it showed once, which is stored sealed, not in clear', async () => {
    const auth = await signIn(t);
    const body = { url: 'https://portal.example.com/hooks/texttune', events: ['generation.succeeded'] };
    const first = await t.http().post('/v1/webhooks').set(auth).set('Idempotency-Key', 'hook-1').send(body).expect(201);
    const created = first.body as { id: string; secret: string };
    expect(created.secret).toMatch(/^whsec_/);
    const again = await t.http().post('/v1/webhooks').set(auth).set('Idempotency-Key', 'hook-1').send(body).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(((await t.http().get('/v1/webhooks').set(auth).expect(200)).body as { items: unknown[] }).items).toHaveLength(1);

    const [row] = await db().query<{ response_body: string; response_sealed: boolean }[]>(`SELECT response_body, response_sealed FROM idempotency_keys WHERE key = 'hook-1'`);
    expect(row.response_sealed).toBe(true);
    expect(row.response_body).not.toContain(created.secret);
    expect(row.response_body).not.toContain(created.secret.slice('whsec_'.length));
    expect(row.response_body).not.toContain(created.id);

    expectError(await t.http().post('/v1/webhooks').set(auth).set('Idempotency-Key', 'hook-1').send({ ...body, events: ['generation.failed'] }), 422, 'idempotency_key_reused');
  });
});
