import { DataSource } from 'typeorm';
import { OfflineEngine } from '../src/engines/local/offline-engine';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

describe('engines', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, { engines: [new OfflineEngine(), new TestEngine('test', { ready: false }), new TestEngine('short', { maxDurationSeconds: 20 })] });
  });
  afterAll(() => t.close());

  it('lists the engines with readiness, capabilities and the default', async () => {
    const auth = await signIn(t);
    const res = await t.http().get('/v1/engines').set(auth).expect(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: 'offline', kind: 'offline', ready: true, default: true, supports: expect.objectContaining({ needsEnglish: false, maxDurationSeconds: 300, loop: true }) }),
      expect.objectContaining({ id: 'test', ready: false, default: false, reason: 'switched off by the test' }),
      expect.objectContaining({ id: 'short', supports: expect.objectContaining({ maxDurationSeconds: 20, loop: false }) }),
    ]);
    await t.http().get('/v1/engines').expect(401);
  });

  it('refuses a job for an engine that is not ready (503 engine_not_ready)', async () => {
    const res = await t.http().post('/v1/generations').set(await signIn(t)).send({ prompt: 'x', engine: 'test' }).expect(503);
    expect(res.body.code).toBe('engine_not_ready');
  });

  it('renders with the offline engine by default and keeps its interpretation as the extended prompt', async () => {
    const auth = await signIn(t);
    const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'calm lo-fi piano, 80 bpm', duration: 2, samplerate: 22050, seed: 42 }).expect(202);
    expect(res.body.engine).toBe('offline');
    const done = await waitForStatus(t, auth, res.body.job_id, ['succeeded', 'failed'], 30_000);
    expect(done.status).toBe('succeeded');
    const [track] = await t.app.get(DataSource).query('SELECT prompt_expanded, format, mime_type, sample_rate, channels, duration_seconds, engine_meta FROM tracks WHERE id = $1', [done.track_id]);
    expect(track).toMatchObject({ format: 'wav', mime_type: 'audio/wav', sample_rate: 22050, channels: 2, duration_seconds: 2 });
    expect(track.prompt_expanded).toMatch(/80 bpm/);
    expect(track.engine_meta.plan.tempoBpm).toBe(80);
  });

  describe('the maximum duration is the engine\u2019s, under the server\u2019s cap', () => {
    it('answers 400 duration_too_long naming the offline engine\u2019s 300 s, and accepts 300 s', async () => {
      const auth = await signIn(t);
      const over = await t.http().post('/v1/generations').set(auth).send({ prompt: 'lo-fi', duration: 300.5 }).expect(400);
      expect(over.body).toMatchObject({ code: 'duration_too_long', details: { max: 300, engine: 'offline' } });
      expect(over.body.message).toContain('at most 300 seconds');
      const at = await t.http().post('/v1/generations').set(auth).send({ prompt: 'lo-fi', duration: 300, quality: 'draft', samplerate: 16000 }).expect(202);
      expect(at.body.params.duration).toBe(300);
      await t.http().post(`/v1/generations/${at.body.job_id}/cancel`).set(auth).expect(200);
    });

    it('takes a Space-like engine\u2019s own lower maximum', async () => {
      const auth = await signIn(t);
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'x', engine: 'short', duration: 21 }).expect(400);
      expect(res.body).toMatchObject({ code: 'duration_too_long', details: { max: 20, engine: 'short' } });
      await t.http().post('/v1/generations').set(auth).send({ prompt: 'x', engine: 'short', duration: 20 }).expect(202);
    });
  });

  describe('seamless loops', () => {
    it('refuses a loop on an engine that cannot make one (400 loop_unsupported)', async () => {
      const res = await t.http().post('/v1/generations').set(await signIn(t)).send({ prompt: 'x', engine: 'short', duration: 4, loop: true }).expect(400);
      expect(res.body).toMatchObject({ code: 'loop_unsupported', details: { engine: 'short' } });
    });

    it('rejects a loop that is not a boolean', async () => {
      const res = await t.http().post('/v1/generations').set(await signIn(t)).send({ prompt: 'x', loop: 'yes' }).expect(400);
      expect(Object.keys(res.body.details.fields)).toContain('loop');
    });

    it('renders a loop with the offline engine and records params.loop on the job, the track and a regenerated job', async () => {
      const auth = await signIn(t);
      const res = await t.http().post('/v1/generations').set(auth).send({ prompt: 'lo-fi hip hop', duration: 3, samplerate: 16000, seed: 5, loop: true }).expect(202);
      expect(res.body.params.loop).toBe(true);
      const done = await waitForStatus(t, auth, res.body.job_id, ['succeeded', 'failed'], 30_000);
      expect(done.status).toBe('succeeded');
      const track = (await t.http().get(`/v1/tracks/${done.track_id}`).set(auth).expect(200)).body;
      expect(track.params).toMatchObject({ loop: true, duration: 3, seed: 5 });
      expect(track.engine_meta.plan.loop).toBe(true);
      expect(track.duration).toBe(3);
      const again = await t.http().post(`/v1/tracks/${done.track_id}/regenerate`).set(auth).send({ seed: 'same' }).expect(202);
      expect(again.body.params).toMatchObject({ loop: true, seed: 5 });
      await waitForStatus(t, auth, again.body.job_id, ['succeeded', 'failed'], 30_000);

      const plain = await t.http().post('/v1/generations').set(auth).send({ prompt: 'lo-fi hip hop', duration: 1, samplerate: 16000 }).expect(202);
      expect(plain.body.params.loop).toBeUndefined();
      await waitForStatus(t, auth, plain.body.job_id, ['succeeded', 'failed'], 30_000);
    });
  });
});
