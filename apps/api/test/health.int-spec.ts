import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('liveness answers 200 without sign-in', async () => {
    expect((await t.http().get('/v1/health').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('readiness answers 200 when the database (migrated), queue, storage and an engine are usable', async () => {
    const res = await t.http().get('/v1/health/ready').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, queue: { status: 'up', driver: 'in-process' }, storage: { status: 'up' }, engines: { status: 'up', ready: ['test'] } },
    });
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

describe('readiness with nothing able to render', () => {
  let t: TestApp;
  let blocker: string;
  beforeAll(async () => {
    // A storage directory that cannot be created: its parent is a file.
    blocker = path.join(await mkdtemp(path.join(os.tmpdir(), 'texttune-blocker-')), 'file');
    await writeFile(blocker, 'not a directory');
    t = await startTestApp({ STORAGE_DIR: path.join(blocker, 'storage') }, { engines: [new TestEngine('test', { ready: false })] });
  });
  afterAll(async () => {
    await t.close();
    await rm(path.dirname(blocker), { recursive: true, force: true });
  });

  it('answers 503 naming the storage and the engines', async () => {
    const res = await t.http().get('/v1/health/ready').expect(503);
    expect(Object.keys(res.body.details.error).sort()).toEqual(['engines', 'storage']);
    expect(res.body.details.error.engines.message).toMatch(/test \(switched off by the test\)/);
    expect(res.body.message).toBe('Not ready: storage, engines.');
  });
});
