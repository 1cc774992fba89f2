import { encodeWavPcm16 } from '@texttune/audio';
import type { GenerationResponse } from '@texttune/contracts';
import { readdir } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import type { AddressInfo } from 'node:net';
import type { AuthUser } from '../src/auth/auth-user';
import type { ApiError } from '../src/common/api-error';
import { EngineError } from '../src/engines/music-engine';
import { GenerationsService } from '../src/generations/generations.service';
import { readSse, signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

const files = async (dir: string): Promise<string[]> => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);

describe('generations (embedded: in-process queue)', () => {
  let t: TestApp;
  const engine = new TestEngine();
  let auth: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp({ JOB_BACKOFF_MS: '10', MAX_ACTIVE_JOBS_PER_USER: '50' }, { engines: [engine] });
    auth = await signIn(t);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    engine.behaviour = {};
  });

  it('queues a job (202 with position), renders it, and records the resolved request', async () => {
    engine.behaviour = { takeMs: 50 };
    const res = await t.http().post('/v1/generations').set(auth).send({ prompt: '  잔잔한 로파이 피아노, 80 bpm  ', duration: 2 }).expect(202);
    const created = res.body as GenerationResponse;
    expect(created).toMatchObject({ status: 'queued', position: 1, prompt: '잔잔한 로파이 피아노, 80 bpm', engine: 'test', track_ids: [], error: null });
    expect(created.params).toMatchObject({ duration: 2, samplerate: 44100, quality: 'draft', variations: 1, sampling: {} });
    expect(Number.isInteger(created.params.seed)).toBe(true);

    const done = await waitForStatus(t, auth, created.job_id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'succeeded', progress: 1, position: null, error: null });
    expect(done.track_ids).toHaveLength(1);
    expect(done.audio_url).toBe(`/v1/stream/${done.track_ids[0]}`);
    expect(done.started_at).not.toBeNull();
    expect(done.finished_at).not.toBeNull();
    const call = engine.calls.at(-1)!;
    expect(call).toMatchObject({ prompt: '잔잔한 로파이 피아노, 80 bpm', durationSeconds: 2, sampleRate: 44100, seed: created.params.seed, quality: 'draft', take: 0 });
    expect(await files(t.config.storageDir)).toEqual([`${done.track_ids[0]}.wav`]);
  });

  it('defaults the duration to the smaller of 10 s and the max', async () => {
    const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'ambient pad', seed: 7 }).expect(202);
    expect(res.body.params).toMatchObject({ duration: 10, seed: 7 });
    await waitForStatus(t, auth, res.body.job_id, ['succeeded']);
  });

  it('renders variations as takes with consecutive seeds (wrapping at 2^32)', async () => {
    const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'house groove', duration: 1, seed: 4294967295, variations: 3, samplerate: 22050, params: { topK: 50 } }).expect(202);
    const done = await waitForStatus(t, auth, res.body.job_id, ['succeeded']);
    expect(done.track_ids).toHaveLength(3);
    expect(engine.calls.slice(-3).map((c) => [c.seed, c.take, c.sampleRate, c.sampling.topK])).toEqual([
      [4294967295, 0, 22050, 50],
      [0, 1, 22050, 50],
      [1, 2, 22050, 50],
    ]);
  });

  describe('validation', () => {
    it.each([
      [{ prompt: '' }, 'prompt'],
      [{ prompt: '   ' }, 'prompt'],
      [{ prompt: 'x'.repeat(501) }, 'prompt'],
      [{ prompt: 'bell\u0007' }, 'prompt'],
      [{ prompt: 'ok', duration: 0 }, 'duration'],
      [{ prompt: 'ok', duration: 'long' }, 'duration'],
      [{ prompt: 'ok', samplerate: 44000 }, 'samplerate'],
      [{ prompt: 'ok', seed: 4294967296 }, 'seed'],
      [{ prompt: 'ok', seed: -1 }, 'seed'],
      [{ prompt: 'ok', seed: 1.5 }, 'seed'],
      [{ prompt: 'ok', quality: 'ultra' }, 'quality'],
      [{ prompt: 'ok', variations: 5 }, 'variations'],
      [{ prompt: 'ok', params: { topP: 2 } }, 'params.topP'],
      [{ prompt: 'ok', params: { temperature: 0 } }, 'params.temperature'],
      [{ prompt: 'ok', params: { mystery: 1 } }, 'params.mystery'],
      [{ prompt: 'ok', colour: 'blue' }, 'colour'],
    ])('%j -> 400 validation_failed at %s', async (body, field) => {
      const res = await t.http().post('/v1/generations').set(auth).send(body).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(Object.keys(res.body.details.fields)).toContain(field);
    });

    it('answers duration over the max (MAX_DURATION_SECONDS, for an engine with no max of its own) with duration_too_long and the max', async () => {
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'ok', duration: 301 }).expect(400);
      expect(res.body).toMatchObject({ code: 'duration_too_long', details: { max: 300 } });
      expect(res.body.message).toContain('300 seconds on this server');
    });

    it('refuses an unknown engine', async () => {
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'ok', engine: 'nope' }).expect(400);
      expect(res.body).toMatchObject({ code: 'engine_not_found', details: { engines: ['test'] } });
    });

    it('accepts any Unicode prompt up to 500 characters', async () => {
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: '비 오는 날 🎹 '.repeat(40).slice(0, 500), duration: 1 }).expect(202);
      await waitForStatus(t, auth, res.body.job_id, ['succeeded']);
    });
  });

  it('answers 404 for another user\u2019s job and for ids that are not ids', async () => {
    const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'mine', duration: 1 }).expect(202);
    const other = await signIn(t);
    for (const path of [`/v1/generations/${res.body.job_id}`, `/v1/generations/${res.body.job_id}/events`]) {
      expect((await t.http().get(path).set(other).expect(404)).body.code).toBe('not_found');
    }
    await t.http().post(`/v1/generations/${res.body.job_id}/cancel`).set(other).expect(404);
    await t.http().get('/v1/generations/not-a-uuid').set(auth).expect(404);
    await t.http().get('/v1/generations').expect(401);
  });

  it('lists the user\u2019s jobs newest first with a cursor', async () => {
    const user = await signIn(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await t.http().post('/v1/generations').set(user).send({ prompt: `p${i}`, duration: 1 }).expect(202)).body.job_id);
    const first = await t.http().get('/v1/generations?limit=2').set(user).expect(200);
    const second = await t.http().get(`/v1/generations?limit=2&cursor=${first.body.next_cursor}`).set(user).expect(200);
    const third = await t.http().get(`/v1/generations?limit=2&cursor=${second.body.next_cursor}`).set(user).expect(200);
    const listed = [...first.body.items, ...second.body.items, ...third.body.items].map((j: GenerationResponse) => j.job_id);
    expect(listed).toEqual([...ids].reverse());
    expect(third.body.next_cursor).toBeNull();
    expect((await t.http().get('/v1/generations?cursor=garbage').set(user).expect(400)).body.code).toBe('validation_failed');
  });

  it('lists only the jobs in the statuses asked for (status=queued,running: the unfinished ones)', async () => {
    const user = await signIn(t);
    engine.behaviour = { takeMs: 4000, steps: 40 };
    const running = (await t.http().post('/v1/generations').set(user).send({ prompt: 'still going', duration: 1 }).expect(202)).body as GenerationResponse;
    const waiting = (await t.http().post('/v1/generations').set(user).send({ prompt: 'waiting', duration: 1 }).expect(202)).body as GenerationResponse;
    await waitForStatus(t, user, running.job_id, ['running']);
    const unfinished = await t.http().get('/v1/generations?status=queued,running').set(user).expect(200);
    expect(unfinished.body.items.map((j: GenerationResponse) => [j.job_id, j.status])).toEqual([
      [waiting.job_id, 'queued'],
      [running.job_id, 'running'],
    ]);
    const bad = await t.http().get('/v1/generations?status=queued,later').set(user).expect(400);
    expect(bad.body).toMatchObject({ code: 'validation_failed', details: { fields: { status: [expect.stringContaining('queued, running, succeeded')] } } });
    await t.http().post(`/v1/generations/${waiting.job_id}/cancel`).set(user).expect(200);
    await t.http().post(`/v1/generations/${running.job_id}/cancel`).set(user).expect(200);
    const canceled = await t.http().get('/v1/generations?status=canceled').set(user).expect(200);
    expect(canceled.body.items.map((j: GenerationResponse) => j.job_id).sort()).toEqual([running.job_id, waiting.job_id].sort());
    expect((await t.http().get('/v1/generations?status=queued,running').set(user).expect(200)).body.items).toEqual([]);
  });

  describe('failures', () => {
    // Jobs left running by earlier tests (the list test does not wait for its five) would
    // consume the failures set up here, and the job under test would not see them.
    beforeEach(async () => {
      const db = t.app.get(DataSource);
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
        const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM generations WHERE status IN ('queued', 'running')`);
        if (n === 0) return;
      }
      throw new Error('earlier jobs are still unfinished');
    });

    it('retries a transient engine failure, then succeeds', async () => {
      engine.behaviour = { failures: [new EngineError('space_unavailable', 'The Space is waking up.', true)] };
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'retry me', duration: 1 }).expect(202);
      const done = await waitForStatus(t, auth, res.body.job_id, ['succeeded', 'failed']);
      expect(done.status).toBe('succeeded');
      expect(engine.calls.filter((c) => c.prompt === 'retry me')).toHaveLength(2);
    });

    it('fails at once, with the code and sentence, on a permanent failure', async () => {
      engine.behaviour = { failures: [new EngineError('space_auth', 'Set HF_API_TOKEN with access to the Space.', false)] };
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'no access', duration: 1 }).expect(202);
      const done = await waitForStatus(t, auth, res.body.job_id, ['succeeded', 'failed']);
      expect(done).toMatchObject({ status: 'failed', error: { code: 'space_auth', message: 'Set HF_API_TOKEN with access to the Space.' }, track_ids: [] });
      expect(engine.calls.filter((c) => c.prompt === 'no access')).toHaveLength(1);
    });

    it('fails after the last attempt of a transient failure', async () => {
      const busy = () => new EngineError('space_unavailable', 'The Space queue is full.', true);
      engine.behaviour = { failures: [busy(), busy(), busy()] };
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'always busy', duration: 1 }).expect(202);
      const done = await waitForStatus(t, auth, res.body.job_id, ['succeeded', 'failed']);
      expect(done).toMatchObject({ status: 'failed', error: { code: 'space_unavailable' } });
      expect(engine.calls.filter((c) => c.prompt === 'always busy')).toHaveLength(3);
    });

    it('refuses output that is not audio (invalid_output) and stores nothing', async () => {
      const before = await files(t.config.storageDir);
      engine.behaviour = { output: Buffer.from('<!DOCTYPE html><html>Your space is sleeping</html>') };
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'html please', duration: 1 }).expect(202);
      const done = await waitForStatus(t, auth, res.body.job_id, ['succeeded', 'failed']);
      expect(done).toMatchObject({ status: 'failed', error: { code: 'invalid_output' } });
      expect(await files(t.config.storageDir)).toEqual(before);
    });

    it('refuses output that passes a sniff but does not decode (a WAV claiming 4 GB), with the reason, and stores nothing', async () => {
      const before = await files(t.config.storageDir);
      const wav = encodeWavPcm16([new Float32Array(2000)], 16000);
      wav.writeUInt32LE(0xffffff00, 40);
      engine.behaviour = { output: wav };
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'a huge claim', duration: 1 }).expect(202);
      const done = await waitForStatus(t, auth, res.body.job_id, ['succeeded', 'failed']);
      expect(done).toMatchObject({ status: 'failed', error: { code: 'invalid_output' } });
      expect(done.error!.message).toBe(
        "The engine returned audio that does not decode: The WAV file's data chunk declares 4,294,967,040 bytes but only 4,000 are present; the file is truncated. Nothing was stored; try again, or ask an administrator to check the engine.",
      );
      expect(await files(t.config.storageDir)).toEqual(before);
      engine.behaviour = {};
    });

    it('records the duration, rate and channels the audio holds, not what was asked for', async () => {
      const mp3Frame = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]);
      engine.behaviour = { output: Buffer.concat(Array.from({ length: 20 }, () => mp3Frame)) };
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'twenty frames', duration: 3, samplerate: 32000 }).expect(202);
      const done = await waitForStatus(t, auth, res.body.job_id, ['succeeded', 'failed']);
      engine.behaviour = {};
      const [row] = await t.app.get(DataSource).query<Record<string, unknown>[]>('SELECT format, duration_seconds, sample_rate, channels FROM tracks WHERE id = $1', [done.track_ids[0]]);
      // 20 MPEG-1 layer III frames of 1152 samples at 44.1 kHz, joint stereo
      expect(row).toEqual({ format: 'mp3', duration_seconds: expect.closeTo((20 * 1152) / 44100, 5), sample_rate: 44100, channels: 2 });
    });

    it('turns an unexpected engine crash into engine_error without taking the worker down', async () => {
      engine.behaviour = { failures: [new TypeError('boom'), new TypeError('boom'), new TypeError('boom')] };
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'crash', duration: 1 }).expect(202);
      const done = await waitForStatus(t, auth, res.body.job_id, ['succeeded', 'failed']);
      expect(done.error?.code).toBe('engine_error');
      engine.behaviour = {};
      const next = await t.http().post('/v1/generations').set(auth).send({ prompt: 'after the crash', duration: 1 }).expect(202);
      expect((await waitForStatus(t, auth, next.body.job_id, ['succeeded', 'failed'])).status).toBe('succeeded');
    });
  });

  describe('cancel', () => {
    it('cancels a queued job at once and a running one within 2 s; idempotent; 409 when finished', async () => {
      engine.behaviour = { takeMs: 20_000, steps: 200 };
      const running = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'long one', duration: 1 }).expect(202)).body as GenerationResponse;
      const queued = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'waiting one', duration: 1 }).expect(202)).body as GenerationResponse;
      await waitForStatus(t, auth, running.job_id, ['running']);
      expect((await t.http().get(`/v1/generations/${queued.job_id}`).set(auth).expect(200)).body).toMatchObject({ status: 'queued', position: 1 });

      const canceledQueued = await t.http().post(`/v1/generations/${queued.job_id}/cancel`).set(auth).expect(200);
      expect(canceledQueued.body).toMatchObject({ status: 'canceled', error: { code: 'canceled' } });

      const started = Date.now();
      const canceledRunning = await t.http().post(`/v1/generations/${running.job_id}/cancel`).set(auth).expect(200);
      expect(canceledRunning.body).toMatchObject({ status: 'canceled', cancel_requested: true });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(engine.aborted).toContain('long one');

      await t.http().post(`/v1/generations/${running.job_id}/cancel`).set(auth).expect(200);
      engine.behaviour = {};
      const quick = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'quick', duration: 1 }).expect(202)).body as GenerationResponse;
      await waitForStatus(t, auth, quick.job_id, ['succeeded']);
      const conflict = await t.http().post(`/v1/generations/${quick.job_id}/cancel`).set(auth).expect(409);
      expect(conflict.body.code).toBe('already_finished');
      expect(engine.calls.some((c) => c.prompt === 'waiting one')).toBe(false);
    });
  });

  describe('server-sent events', () => {
    it('streams every state in order, then a final event, then ends', async () => {
      engine.behaviour = { takeMs: 600, steps: 6 };
      const server = t.app.getHttpServer();
      if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const job = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'watch me', duration: 1 }).expect(202)).body as GenerationResponse;
      const { status, contentType, events } = await readSse(base, `/v1/generations/${job.job_id}/events`, auth);
      expect(status).toBe(200);
      expect(contentType).toMatch(/text\/event-stream/);
      const statuses = events.filter((e) => e.event === 'status').map((e) => e.data.status);
      expect(statuses[statuses.length - 1]).toBe('succeeded');
      expect(['queued', 'running']).toContain(statuses[0]);
      expect(statuses).toEqual([...new Set(statuses)]); // no repeats, no going back
      const progress = events.filter((e) => e.event === 'progress').map((e) => e.data.progress);
      expect(progress.length).toBeGreaterThan(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(events.at(-1)).toMatchObject({ event: 'final', data: { status: 'succeeded', track_ids: [expect.any(String)] } });

      // A client reconnecting after the end (Last-Event-ID) gets the current state and the end, not a gap.
      const again = await readSse(base, `/v1/generations/${job.job_id}/events`, { ...auth, 'Last-Event-ID': events.at(-2)?.id ?? '' });
      expect(again.events.map((e) => e.event)).toEqual(['status', 'final']);
      expect(again.events[1].data.status).toBe('succeeded');
    });
  });
});

describe('queue estimates', () => {
  let t: TestApp;
  const engine = new TestEngine();
  let auth: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp({ MAX_ACTIVE_JOBS_PER_USER: '50' }, { engines: [engine] });
    auth = await signIn(t);
  });
  afterAll(() => t.close());

  it('bases the ETA and render_seconds on the measured run times of the engine and quality', async () => {
    // Measured: jobs of 1, 4 and 8 s of audio at 300 ms of render per second, plus the worker's own fixed time.
    engine.behaviour = { msPerAudioSecond: 300, steps: 2 };
    const points: [number, number][] = [];
    for (const duration of [1, 4, 8]) {
      const job = (await t.http().post('/v1/generations').set(auth).send({ prompt: `measure ${duration}`, duration }).expect(202)).body as GenerationResponse;
      const done = await waitForStatus(t, auth, job.job_id, ['succeeded'], 60_000);
      points.push([duration, (Date.parse(done.finished_at!) - Date.parse(done.started_at!)) / 1000]);
    }
    // The least-squares line through the measured jobs, as the server fits it.
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const mx = mean(points.map(([x]) => x));
    const my = mean(points.map(([, y]) => y));
    const slope = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0) / points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
    const fixed = my - slope * mx;
    const expectedRun = (seconds: number) => (slope >= 0 && fixed >= 0 ? fixed + slope * seconds : (my / mx) * seconds);
    await new Promise((r) => setTimeout(r, 2100)); // the times are measured again after 2 s

    engine.behaviour = { takeMs: 20_000, steps: 200 };
    const blocker = (await t.http().post('/v1/generations').set(auth).send({ prompt: 'blocker', duration: 2 }).expect(202)).body as GenerationResponse;
    await waitForStatus(t, auth, blocker.job_id, ['running'], 60_000);
    const queued: GenerationResponse[] = [];
    for (let i = 0; i < 3; i++) queued.push((await t.http().post('/v1/generations').set(auth).send({ prompt: `queued ${i}`, duration: 10 }).expect(202)).body as GenerationResponse);
    const third = (await t.http().get(`/v1/generations/${queued[2].job_id}`).set(auth).expect(200)).body as GenerationResponse;
    expect(third.position).toBe(3);
    expect(Math.abs(third.render_seconds! - expectedRun(10))).toBeLessThanOrEqual(1);
    // three such jobs after what the running one has left (at most its own expected run)
    expect(third.eta_seconds!).toBeGreaterThanOrEqual(Math.floor(3 * expectedRun(10)) - 1);
    expect(third.eta_seconds!).toBeLessThanOrEqual(Math.ceil(3 * expectedRun(10) + expectedRun(2)) + 1);
    const first = (await t.http().get(`/v1/generations/${queued[0].job_id}`).set(auth).expect(200)).body as GenerationResponse;
    expect(first.eta_seconds!).toBeLessThan(third.eta_seconds!);
    for (const job of [...queued, blocker]) await t.http().post(`/v1/generations/${job.job_id}/cancel`).set(auth).expect(200);
  }, 240_000);
});

describe('generation limits', () => {
  let t: TestApp;
  const engine = new TestEngine('test', { takeMs: 3000, steps: 30 });
  beforeAll(async () => {
    t = await startTestApp({ MAX_ACTIVE_JOBS_PER_USER: '2', MAX_QUEUE_LENGTH: '3', DAILY_SECONDS_QUOTA: '20', PROMPT_BLOCKLIST: 'forbidden, /sec+ret/, 금지어' }, { engines: [engine] });
  });
  afterAll(() => t.close());

  it('refuses prompts matching the blocklist with prompt_blocked', async () => {
    const auth = await signIn(t);
    for (const prompt of ['a FORBIDDEN song', 'seccccret beats', '금지어가 들어간 노래']) {
      expect((await t.http().post('/v1/generations').set(auth).send({ prompt, duration: 1 }).expect(400)).body.code).toBe('prompt_blocked');
    }
    // whole words only for Latin-script entries
    await t.http().post('/v1/generations').set(auth).send({ prompt: 'unforbiddenly calm', duration: 1 }).expect(202);
  });

  it('limits unfinished jobs per user (429 too_many_active_jobs)', async () => {
    const auth = await signIn(t);
    await t.http().post('/v1/generations').set(auth).send({ prompt: 'one', duration: 1 }).expect(202);
    await t.http().post('/v1/generations').set(auth).send({ prompt: 'two', duration: 1 }).expect(202);
    const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'three', duration: 1 }).expect(429);
    expect(res.body).toMatchObject({ code: 'too_many_active_jobs', details: { limit: 2 } });
  });

  it('bounds the global queue (503 queue_full with Retry-After)', async () => {
    let res;
    for (let i = 0; i < 4; i++) {
      res = await t.http().post('/v1/generations').set(await signIn(t)).send({ prompt: `fill ${i}`, duration: 1 });
      if (res.status === 503) break;
    }
    expect(res?.status).toBe(503);
    expect(res?.body.code).toBe('queue_full');
    expect(res?.headers['retry-after']).toBe('30');
  });

  it('enforces the daily audio-seconds quota (429 quota_exceeded saying when it resets)', async () => {
    const user = await signIn(t);
    // 20 s per day: 12 s fits, then 12 more would not
    // Free the queue filled by the test above.
    await t.app.get(DataSource).query(`UPDATE generations SET status = 'canceled' WHERE status IN ('queued', 'running')`);
    await t.http().post('/v1/generations').set(user).send({ prompt: 'first', duration: 12 }).expect(202);
    const res = await t.http().post('/v1/generations').set(user).send({ prompt: 'second', duration: 12 }).expect(429);
    expect(res.body.code).toBe('quota_exceeded');
    expect(res.body.message).toMatch(/resets at 00:00 UTC/);
    expect(res.body.details).toMatchObject({ quota_seconds: 20, used_seconds: 12, requested_seconds: 12 });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('holds the per-user limit and the quota under concurrent requests from one user', async () => {
    const db = t.app.get(DataSource);
    const service = t.app.get(GenerationsService);
    await signIn(t, 'racer@example.com');
    const [{ id }] = await db.query(`SELECT id FROM users WHERE email = 'racer@example.com'`);
    const user = { id } as AuthUser;
    // Straight to the service, so the requests reach Postgres together.
    const burst = async (duration: number) => {
      const answers = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => service.create(user, { prompt: `race ${i}`, duration })));
      return answers.map((a) => (a.status === 'fulfilled' ? 'queued' : (a.reason as ApiError).code)).sort();
    };
    await db.query(`UPDATE generations SET status = 'canceled' WHERE status IN ('queued', 'running')`);
    // 2 unfinished jobs at most
    expect(await burst(1)).toEqual(['queued', 'queued', ...Array(10).fill('too_many_active_jobs')]);
    expect((await db.query(`SELECT count(*)::int AS n FROM generations WHERE user_id = $1`, [id]))[0].n).toBe(2);
    // canceled jobs do not count against the quota: 12 of 20 s fit once, not twice
    await db.query(`UPDATE generations SET status = 'canceled' WHERE status IN ('queued', 'running')`);
    expect(await burst(12)).toEqual(['queued', ...Array(11).fill('quota_exceeded')]);
  });
});
