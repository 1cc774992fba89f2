/**
 * Users' Hugging Face tokens never reach a log line: the API runs as a real
 * process (production bootstrap, the engines the configuration selects, JSON logs at
 * `trace`) against the fake Space, every path that handles a token is driven over HTTP —
 * saved, refused by whoami, refused by validation, malformed JSON, used by jobs that
 * succeed, run out of quota, are refused by a private Space, or find it altered — and
 * everything the process wrote to stdout and stderr is searched for the tokens.
 */
import type { GenerationResponse } from '@texttune/contracts';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../src/common/free-port';
import { FakeSpace } from './support/fake-tools';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const ROOT = path.resolve(__dirname, '../../..');
const SERVER_TOKEN = 'hf_logServerToken000000000000000000sRv';
const ALICE_TOKEN = 'hf_logAliceToken1111111111111111111aLc';
const WRONG_TOKEN = 'hf_logWrongToken2222222222222222222wRg';
const TOKENS = [SERVER_TOKEN, ALICE_TOKEN, WRONG_TOKEN];

/** The production entry, with the engines of the configuration (app-process.ts uses a test engine). */
const ENTRY = `
require('reflect-metadata');
const { createApiApp } = require('./apps/api/src/bootstrap.ts');
const { loadConfig } = require('./apps/api/src/config/app-config.ts');
const { createEngines } = require('./apps/api/src/engines/create-engines.ts');
(async () => {
  const config = loadConfig(process.env);
  const app = await createApiApp({ config, databaseUrl: config.database.url, engines: () => createEngines(config) });
  await app.listen(config.http.port, '127.0.0.1');
  process.stdout.write('READY\\n');
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + '\\n');
  process.exit(1);
});
`;

describe('Hugging Face tokens in logs', () => {
  let space: FakeSpace;
  let db: TestDatabase;
  let storageDir: string;
  let child: ChildProcess | undefined;
  let output = '';
  let base = '';

  async function call(method: string, route: string, options: { auth?: string; body?: unknown; raw?: string } = {}): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await fetch(`${base}${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(options.auth ? { authorization: options.auth } : {}) },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await res.text();
    for (const token of TOKENS) expect(text).not.toContain(token);
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async function generate(auth: string, prompt: string): Promise<GenerationResponse> {
    const created = await call('POST', '/v1/generations', { auth, body: { prompt, duration: 1 } });
    expect(created.status).toBe(202);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const job = (await call('GET', `/v1/generations/${created.body.job_id}`, { auth })).body as GenerationResponse;
      if (['succeeded', 'failed', 'canceled'].includes(job.status) || Date.now() > deadline) return job;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    [space, db, storageDir] = await Promise.all([FakeSpace.start(), createTestDatabase(), mkdtemp(path.join(os.tmpdir(), 'texttune-logs-'))]);
    await space.reset({ hubAccounts: { [ALICE_TOKEN]: 'alice' } });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['-r', './tools/build/register.cjs', '-e', ENTRY], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        DATABASE_URL: db.url,
        STORAGE_DIR: storageDir,
        JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
        LOG_LEVEL: 'trace',
        LOG_FORMAT: 'json',
        HF_SPACE_ID: `${space.url}/`,
        HF_API_TOKEN: SERVER_TOKEN,
        HF_HUB_URL: space.url,
        SECRETS_KEY: randomBytes(32).toString('base64'),
        JOB_MAX_ATTEMPTS: '1',
        GENERATION_TIMEOUT_SECONDS: '30',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the API did not start:\n${output}`)), 60_000);
      child!.stdout!.on('data', () => output.includes('READY') && (clearTimeout(timer), resolve()));
      child!.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the API exited (${code}):\n${output}`))));
    });
  }, 90_000);

  async function stop(): Promise<void> {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  afterAll(async () => {
    await stop();
    await Promise.all([space?.stop(), db?.drop(), rm(storageDir, { recursive: true, force: true })]);
  });

  it('saves, uses, refuses and removes tokens without any of them in stdout or stderr', async () => {
    const alice = `Bearer ${(await call('POST', '/v1/auth/login', { body: { email: 'alice@example.com' } })).body.accessToken}`;
    const bob = `Bearer ${(await call('POST', '/v1/auth/login', { body: { email: 'bob@example.com' } })).body.accessToken}`;

    expect(await call('PUT', '/v1/me/hf-token', { auth: alice, body: { token: WRONG_TOKEN } })).toMatchObject({ status: 400, body: { code: 'hf_token_invalid' } });
    expect(await call('PUT', '/v1/me/hf-token', { auth: alice, body: { token: `${ALICE_TOKEN} x`, extra: ALICE_TOKEN } })).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(await call('PUT', '/v1/me/hf-token', { auth: alice, raw: `{"token": "${ALICE_TOKEN}"` })).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    expect(await call('PUT', '/v1/me/hf-token?token=' + ALICE_TOKEN, { auth: alice, body: { token: ALICE_TOKEN } })).toMatchObject({ status: 200, body: { verification: 'verified', account: 'alice' } });
    expect(await call('GET', '/v1/me/hf-token', { auth: alice })).toMatchObject({ status: 200, body: { set: true, last4: ALICE_TOKEN.slice(-4) } });

    expect(await generate(alice, 'alice logs')).toMatchObject({ status: 'succeeded' });
    expect(await generate(bob, 'bob logs')).toMatchObject({ status: 'succeeded' });
    await space.configure({ fail: 'quota' });
    expect((await generate(alice, 'alice quota')).error).toMatchObject({ code: 'space_quota' });
    await space.configure({ fail: 'none', requireToken: SERVER_TOKEN });
    expect((await generate(alice, 'alice refused')).error).toMatchObject({ code: 'space_auth' });
    await space.configure({ requireToken: null });

    // an altered ciphertext: the job fails with a sentence (and a warning is logged)
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      await pg.query(`UPDATE hf_tokens SET token_sealed = set_byte(token_sealed, length(token_sealed) - 2, get_byte(token_sealed, length(token_sealed) - 2) # 1)`);
    } finally {
      await pg.end();
    }
    expect((await generate(alice, 'alice altered')).error).toMatchObject({ code: 'space_auth', message: expect.stringContaining('cannot be decrypted') });

    expect((await call('DELETE', '/v1/me/hf-token', { auth: alice })).status).toBe(204);

    // The Space saw Alice's token; the logs must not have (read once the process has exited: everything flushed).
    expect((await space.requests('join')).some((r) => r.authorization === `Bearer ${ALICE_TOKEN}`)).toBe(true);
    await stop();
    const lines = output.split('\n').filter(Boolean);
    expect(lines.filter((line) => line.includes('/v1/me/hf-token')).length).toBeGreaterThanOrEqual(6); // the request log did run
    expect(output).toContain('failed decryption');
    expect(output).toContain('saved a Hugging Face token (verified, account alice)');
    for (const token of TOKENS) expect(lines.filter((line) => line.includes(token))).toEqual([]);
    // nor a recognisable part of one
    for (const token of TOKENS) expect(output).not.toContain(token.slice(3, 20));
  }, 90_000);
});
