import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startTestApp, type TestApp } from './support/test-app';

const ROOT = path.resolve(__dirname, '../../..');

/** Runs the real entry point (apps/api/src/main.ts) with `env` only; resolves with how it ended. */
function bootMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-r', './tools/build/register.cjs', 'apps/api/src/main.ts'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 60_000 }, (error, _stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
    );
  });
}

const strongSecret = () => randomBytes(48).toString('base64');

describe('production refuses weak settings at boot', () => {
  it('lists a guessable JWT_SECRET and SECRETS_KEY and a missing METRICS_TOKEN in one message, without echoing the secrets', async () => {
    const weakJwt = 'a'.repeat(48);
    const weakKey = Buffer.alloc(32, 7).toString('base64');
    const { code, stderr } = await bootMain({ NODE_ENV: 'production', JWT_SECRET: weakJwt, SECRETS_KEY: weakKey, DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' });
    expect(code).toBe(1);
    expect(stderr).toContain('TextTune cannot start.');
    expect(stderr).toMatch(/- JWT_SECRET: .*openssl rand -base64 48/);
    expect(stderr).toMatch(/- SECRETS_KEY: .*openssl rand -base64 32/);
    expect(stderr).toMatch(/- METRICS_TOKEN: required in production/);
    expect(stderr).not.toContain(weakJwt);
    expect(stderr).not.toContain(weakKey);
  }, 90_000);
});

describe('production with good settings', () => {
  let t: TestApp;
  const metricsToken = randomBytes(24).toString('hex');
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'production', JWT_SECRET: strongSecret(), SECRETS_KEY: randomBytes(32).toString('base64'), METRICS_TOKEN: metricsToken });
  }, 30_000);
  afterAll(() => t.close());

  it('serves /metrics only with METRICS_TOKEN, and /docs by default', async () => {
    expect((await t.http().get('/metrics').expect(401)).body.code).toBe('unauthorized');
    expect((await t.http().get('/metrics').set('Authorization', `Bearer ${metricsToken}`).expect(200)).text).toContain('texttune_');
    await t.http().get('/docs/openapi.json').expect(200);
  });

  it('takes self sign-up with a strong password, and refuses 12345678', async () => {
    expect((await t.http().get('/v1/auth/config').expect(200)).body).toMatchObject({ mode: 'password', registration: 'open' });
    expect((await t.http().post('/v1/auth/register').send({ email: 'ops@example.com', password: '12345678' }).expect(400)).body.code).toBe('weak_password');
    await t.http().post('/v1/auth/register').send({ email: 'ops@example.com', password: 'violet tram at dawn' }).expect(201);
  });
});

describe('METRICS_PUBLIC=true in production', () => {
  it('serves /metrics without a token', async () => {
    const t = await startTestApp({ NODE_ENV: 'production', JWT_SECRET: strongSecret(), METRICS_PUBLIC: 'true' });
    try {
      expect((await t.http().get('/metrics').expect(200)).text).toContain('texttune_');
    } finally {
      await t.close();
    }
  }, 30_000);
});

describe('DOCS_ENABLED=false', () => {
  it('answers 404 for Swagger UI and the OpenAPI document; the API is unaffected', async () => {
    const t = await startTestApp({ DOCS_ENABLED: 'false' });
    try {
      for (const url of ['/docs', '/docs/', '/docs/openapi.json', '/docs/openapi.yaml']) {
        const res = await t.http().get(url);
        expect([url, res.status, res.body.code]).toEqual([url, 404, 'not_found']);
      }
      await t.http().get('/v1/health').expect(200);
    } finally {
      await t.close();
    }
  }, 30_000);
});
