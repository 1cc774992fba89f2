import type { CreatedWebhookResponse, GenerationResponse } from '@texttune/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { eventually } from './support/helpers';
import { startAppProcess, type AppProcess } from './support/processes';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * A worker that dies mid-delivery loses no event: real TextTune processes (the real
 * bootstrap, role all, in-process queue) on one Postgres, and a receiver that holds the
 * first request without answering. The process is killed (SIGKILL) or stopped (SIGTERM)
 * while the request hangs; the next process delivers the same message (same webhook-id).
 */
describe('webhook delivery across process deaths', () => {
  const receiver = new WebhookReceiver();
  let db: TestDatabase;
  let storageDir: string;
  let env: Record<string, string>;
  let pg: Client;
  const processes: AppProcess[] = [];
  const secrets: string[] = [];
  let base: string;

  beforeAll(async () => {
    base = await receiver.start();
    db = await createTestDatabase();
    storageDir = await mkdtemp(path.join(os.tmpdir(), 'texttune-storage-'));
    env = {
      DATABASE_URL: db.url,
      STORAGE_DIR: storageDir,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      // The lease of a claimed delivery is the timeout plus 5 s.
      WEBHOOK_TIMEOUT_MS: '1500',
      WEBHOOK_POLL_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '200',
      SHUTDOWN_GRACE_SECONDS: '1',
      // Everything is logged, requests included, to show that no secret ever is.
      LOG_LEVEL: 'debug',
    };
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await pg?.end();
    await db?.drop();
    await rm(storageDir, { recursive: true, force: true });
    await receiver.stop();
  }, 30_000);

  const start = async (): Promise<AppProcess> => {
    const started = await startAppProcess({ ...env, TEXTTUNE_ROLE: 'all' });
    processes.push(started);
    return started;
  };

  /** Signs in on `app`, registers `/path` (the receiver hangs on the first request), and runs a job; returns once the request hangs. */
  async function hangOneDelivery(app: AppProcess, hookPath: string): Promise<{ messageId: string; jobId: string }> {
    const url = `http://127.0.0.1:${app.port}`;
    const login = await fetch(`${url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `${hookPath.slice(1)}@example.com` }) });
    const auth = { Authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`, 'content-type': 'application/json' };
    const created = await fetch(`${url}/v1/webhooks`, { method: 'POST', headers: auth, body: JSON.stringify({ url: `${base}${hookPath}`, events: ['generation.succeeded'] }) });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as CreatedWebhookResponse;
    secrets.push(secret);
    receiver.route(hookPath, secret, [0, 204]);
    const job = (await (await fetch(`${url}/v1/generations`, { method: 'POST', headers: auth, body: JSON.stringify({ prompt: 'kept through a crash', duration: 1 }) })).json()) as GenerationResponse;
    await eventually(async () => receiver.on(hookPath).length === 1, 20_000, 50);
    return { messageId: receiver.on(hookPath)[0].id, jobId: job.job_id };
  }

  const deliveryOf = async (messageId: string) =>
    (await pg.query<{ status: string; attempts: number; last_status_code: number | null }>(`SELECT status, attempts, last_status_code FROM webhook_deliveries WHERE message_id = $1`, [messageId])).rows;

  it('delivers, after the lease runs out, a message whose worker was killed mid-request', async () => {
    const first = await start();
    const { messageId, jobId } = await hangOneDelivery(first, '/killed');
    await first.kill();
    expect(await deliveryOf(messageId)).toEqual([{ status: 'pending', attempts: 1, last_status_code: null }]);
    await start();
    await eventually(async () => (await deliveryOf(messageId))[0].status === 'succeeded', 30_000, 100);
    const requests = receiver.on('/killed');
    expect(requests.map((r) => r.id)).toEqual([messageId, messageId]);
    expect(requests[1].payload.data.job).toMatchObject({ job_id: jobId, status: 'succeeded' });
    expect(await deliveryOf(messageId)).toEqual([{ status: 'succeeded', attempts: 2, last_status_code: 204 }]);
  }, 90_000);

  it('hands a delivery under way back at a graceful stop; the next process sends it without counting the interrupted attempt', async () => {
    const live = processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    const current = live[live.length - 1];
    const { messageId } = await hangOneDelivery(current, '/stopped');
    await current.stop();
    expect(await deliveryOf(messageId)).toEqual([{ status: 'pending', attempts: 0, last_status_code: null }]);
    await start();
    await eventually(async () => (await deliveryOf(messageId))[0].status === 'succeeded', 30_000, 100);
    expect(receiver.on('/stopped').map((r) => r.id)).toEqual([messageId, messageId]);
    expect(await deliveryOf(messageId)).toEqual([{ status: 'succeeded', attempts: 1, last_status_code: 204 }]);
  }, 90_000);

  it('logs no signing secret, in any process, at any level', () => {
    const output = processes.map((p) => p.output()).join('\n');
    expect(output).toContain('webhook');
    for (const secret of secrets) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(secret.slice('whsec_'.length));
    }
  });
});
