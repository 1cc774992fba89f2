import { DataSource } from 'typeorm';
import { OfflineEngine } from '../src/engines/local/offline-engine';
import { signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

describe('engines', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, { engines: [new OfflineEngine(), new TestEngine('test', { ready: false })] });
  });
  afterAll(() => t.close());

  it('lists the engines with readiness, capabilities and the default', async () => {
    const auth = await signIn(t);
    const res = await t.http().get('/v1/engines').set(auth).expect(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: 'offline', kind: 'offline', ready: true, default: true, supports: expect.objectContaining({ needsEnglish: false }) }),
      expect.objectContaining({ id: 'test', ready: false, default: false, reason: 'switched off by the test' }),
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
});
