import { startTestApp, type TestApp } from './support/test-app';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('liveness answers 200 without sign-in', async () => {
    expect((await t.http().get('/v1/health').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('readiness answers 200 when the database is reachable and migrated', async () => {
    const res = await t.http().get('/v1/health/ready').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });
});

describe('readiness before migrations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, { migrate: false });
  });
  afterAll(() => t.close());

  it('answers 503 not_ready naming the database and the missing migrations', async () => {
    const res = await t.http().get('/v1/health/ready').expect(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'not_ready' });
    expect(res.body.message).toMatch(/database/);
    expect(res.body.details.error.database.message).toMatch(/migrations not applied: Initial/);
  });
});
