import type { CreatedWebhookResponse, GenerationResponse, WebhookDeliveryResponse, WebhookEndpointResponse } from '@texttune/contracts';
import { DataSource } from 'typeorm';
import { EngineError } from '../src/engines/music-engine';
import { eventually, signIn, waitForStatus } from './support/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TestEngine } from './support/test-engine';
import { WebhookReceiver } from './support/webhook-receiver';

type Auth = { Authorization: string };

/**
 * Webhooks end to end: the real application on real Postgres, a real receiver on
 * 127.0.0.1 that verifies every delivery with the official `standardwebhooks` package.
 * Delivering to loopback needs WEBHOOK_ALLOW_PRIVATE=true; the retry base is shortened.
 */
describe('webhooks', () => {
  const engine = new TestEngine();
  const receiver = new WebhookReceiver();
  let t: TestApp;
  let base: string;
  let auth: Auth;

  beforeAll(async () => {
    base = await receiver.start();
    t = await startTestApp(
      { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_POLL_MS: '50', WEBHOOK_TIMEOUT_MS: '3000', ADMIN_EMAILS: 'ops@example.com' },
      { engines: [engine] },
    );
    auth = await signIn(t);
  }, 30_000);

  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  beforeEach(() => {
    engine.behaviour = {};
  });

  /** Registers an endpoint at `path` of the receiver, which answers `answers` in order. */
  async function register(path: string, events: string[], answers: number[] = [204], who: Auth = auth): Promise<CreatedWebhookResponse> {
    const res = await t.http().post('/v1/webhooks').set(who).send({ url: `${base}${path}`, events, description: `receiver ${path}` }).expect(201);
    const created = res.body as CreatedWebhookResponse;
    receiver.route(path, created.secret, answers);
    return created;
  }

  const deliveries = async (id: string, who: Auth = auth): Promise<WebhookDeliveryResponse[]> =>
    ((await t.http().get(`/v1/webhooks/${id}/deliveries`).set(who).expect(200)).body as { items: WebhookDeliveryResponse[] }).items;

  const generate = async (who: Auth, body: object = { prompt: 'calm piano', duration: 1 }): Promise<GenerationResponse> =>
    (await t.http().post('/v1/generations').set(who).send(body).expect(202)).body as GenerationResponse;

  it('creates an endpoint with a whsec_ secret shown once and stored sealed', async () => {
    const created = await register('/created', ['generation.succeeded']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(created).toMatchObject({ url: `${base}/created`, events: ['generation.succeeded'], description: 'receiver /created', enabled: true, disabled_reason: null });
    const got = (await t.http().get(`/v1/webhooks/${created.id}`).set(auth).expect(200)).body as WebhookEndpointResponse & { secret?: string };
    expect(got.secret).toBeUndefined();
    const list = (await t.http().get('/v1/webhooks').set(auth).expect(200)).body as { items: WebhookEndpointResponse[] };
    expect(list.items.map((e) => e.id)).toContain(created.id);
    expect(JSON.stringify(list)).not.toContain(created.secret);
    const [row] = await t.app.get(DataSource).query<{ secret_sealed: Buffer }[]>(`SELECT secret_sealed FROM webhook_endpoints WHERE id = $1`, [created.id]);
    const key = created.secret.slice('whsec_'.length);
    expect(row.secret_sealed.toString('utf8')).not.toContain(key);
    expect(row.secret_sealed.toString('base64')).not.toContain(key);
    // Another account does not see it.
    const other = await signIn(t);
    await t.http().get(`/v1/webhooks/${created.id}`).set(other).expect(404);
    await t.http().delete(`/v1/webhooks/${created.id}`).set(other).expect(404);
  });

  it('delivers generation.succeeded once, signed, with the job as GET returns it and its tracks', async () => {
    const user = await signIn(t);
    const hook = await register('/succeeded', ['generation.succeeded', 'generation.failed'], [204], user);
    const job = await generate(user, { prompt: 'lo-fi piano', duration: 1, variations: 2 });
    await waitForStatus(t, user, job.job_id, ['succeeded']);
    await eventually(async () => receiver.on('/succeeded').length === 1, 10_000, 20);
    const [message] = receiver.on('/succeeded');
    expect(message.payload.type).toBe('generation.succeeded');
    const fromGet = (await t.http().get(`/v1/generations/${job.job_id}`).set(user).expect(200)).body as GenerationResponse;
    expect(message.payload.data.job).toEqual(fromGet);
    const tracks = message.payload.data.tracks as { id: string; audio_url: string; job_id: string }[];
    expect(tracks.map((track) => track.id)).toEqual(fromGet.track_ids);
    expect(tracks[0]).toMatchObject({ job_id: job.job_id, audio_url: `/v1/stream/${fromGet.track_ids[0]}` });
    const list = await deliveries(hook.id, user);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ message_id: message.id, event_type: 'generation.succeeded', status: 'succeeded', attempts: 1, response_status: 204, next_attempt_at: null });
    // Once only: later polls do not send it again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.on('/succeeded')).toHaveLength(1);
    expect(receiver.rejected.filter((r) => r.path === '/succeeded')).toEqual([]);
  });

  it('retries after a 500 with the same webhook-id, and the deliveries list shows both attempts', async () => {
    const user = await signIn(t);
    const hook = await register('/flaky', ['generation.succeeded'], [500, 204], user);
    const job = await generate(user);
    await waitForStatus(t, user, job.job_id, ['succeeded']);
    await eventually(async () => receiver.on('/flaky').length === 2, 10_000, 20);
    const [first, second] = receiver.on('/flaky');
    expect(first.answered).toBe(500);
    expect(second.answered).toBe(204);
    expect(second.id).toBe(first.id);
    expect(second.payload).toEqual(first.payload);
    await eventually(async () => (await deliveries(hook.id, user))[0]?.status === 'succeeded', 5000, 20);
    const [delivery] = await deliveries(hook.id, user);
    expect(delivery).toMatchObject({ message_id: first.id, attempts: 2, response_status: 204, last_error: null });
    expect(delivery.duration_ms).toEqual(expect.any(Number));
    expect(delivery.delivered_at).not.toBeNull();
  });

  it('shows a failing delivery as pending with its error and next retry', async () => {
    const user = await signIn(t);
    const hook = await register('/down', ['generation.succeeded'], [503], user);
    await waitForStatus(t, user, (await generate(user)).job_id, ['succeeded']);
    await eventually(async () => receiver.on('/down').length >= 1, 10_000, 20);
    await eventually(async () => (await deliveries(hook.id, user))[0]?.last_error !== null, 5000, 20);
    const [delivery] = await deliveries(hook.id, user);
    expect(delivery.status).toBe('pending');
    expect(delivery.response_status).toBe(503);
    expect(delivery.last_error).toMatch(/HTTP 503/);
    expect(delivery.next_attempt_at).not.toBeNull();
    await t.http().delete(`/v1/webhooks/${hook.id}`).set(user).expect(204);
  });

  it('delivers generation.failed and generation.canceled, each to the endpoints subscribed to it', async () => {
    const user = await signIn(t);
    await register('/ends', ['generation.failed', 'generation.canceled'], [204], user);
    await register('/only-succeeded', ['generation.succeeded'], [204], user);
    engine.behaviour = { failures: [new EngineError('space_auth', 'The Space refused the token.')] };
    const failing = await generate(user, { prompt: 'will fail', duration: 1 });
    await waitForStatus(t, user, failing.job_id, ['failed']);
    engine.behaviour = { takeMs: 5000, steps: 50 };
    const running = await generate(user, { prompt: 'will be canceled', duration: 1 });
    await waitForStatus(t, user, running.job_id, ['running']);
    await t.http().post(`/v1/generations/${running.job_id}/cancel`).set(user).expect(200);
    await eventually(async () => receiver.on('/ends').length === 2, 10_000, 20);
    const byType = new Map(receiver.on('/ends').map((r) => [r.payload.type, r.payload.data]));
    expect((byType.get('generation.failed')?.job as GenerationResponse).error).toEqual({ code: 'space_auth', message: 'The Space refused the token.' });
    expect((byType.get('generation.canceled')?.job as GenerationResponse).job_id).toBe(running.job_id);
    expect(receiver.on('/only-succeeded')).toEqual([]);
  });

  it('delivers generation.canceled for a job canceled while queued', async () => {
    const user = await signIn(t);
    await register('/queued-cancel', ['generation.canceled'], [204], user);
    engine.behaviour = { takeMs: 3000, steps: 30 };
    const first = await generate(user);
    const queued = await generate(user);
    await waitForStatus(t, user, first.job_id, ['running']);
    const canceled = (await t.http().post(`/v1/generations/${queued.job_id}/cancel`).set(user).expect(200)).body as GenerationResponse;
    expect(canceled.status).toBe('canceled');
    await eventually(async () => receiver.on('/queued-cancel').length === 1, 10_000, 20);
    expect(receiver.on('/queued-cancel')[0].payload.data.job).toMatchObject({ job_id: queued.job_id, status: 'canceled', error: { code: 'canceled' } });
    await t.http().post(`/v1/generations/${first.job_id}/cancel`).set(user).expect(200);
  });

  it('delivers track.deleted', async () => {
    const user = await signIn(t);
    await register('/deleted', ['track.deleted'], [204], user);
    const job = await waitForStatus(t, user, (await generate(user)).job_id, ['succeeded']);
    await t.http().delete(`/v1/tracks/${job.track_id}`).set(user).expect(204);
    await eventually(async () => receiver.on('/deleted').length === 1, 10_000, 20);
    expect(receiver.on('/deleted')[0].payload).toMatchObject({ type: 'track.deleted', data: { track: { id: job.track_id, job_id: job.job_id, take_index: 0 } } });
  });

  it('sends a webhook.test event on request', async () => {
    const user = await signIn(t);
    const hook = await register('/test', ['generation.succeeded'], [200], user);
    const queued = (await t.http().post(`/v1/webhooks/${hook.id}/test`).set(user).expect(202)).body as WebhookDeliveryResponse;
    expect(queued).toMatchObject({ event_type: 'webhook.test', status: 'pending', attempts: 0 });
    await eventually(async () => receiver.on('/test').length === 1, 10_000, 20);
    expect(receiver.on('/test')[0]).toMatchObject({ id: queued.message_id, payload: { type: 'webhook.test', data: { endpoint_id: hook.id } } });
  });

  it('disables an endpoint that answers 410, says why, and records nothing more for it', async () => {
    const user = await signIn(t);
    const hook = await register('/gone', ['generation.succeeded'], [410], user);
    await t.http().post(`/v1/webhooks/${hook.id}/test`).set(user).expect(202);
    await eventually(async () => !((await t.http().get(`/v1/webhooks/${hook.id}`).set(user)).body as WebhookEndpointResponse).enabled, 10_000, 20);
    const disabled = (await t.http().get(`/v1/webhooks/${hook.id}`).set(user).expect(200)).body as WebhookEndpointResponse;
    expect(disabled.disabled_reason).toMatch(/410 Gone/);
    expect(disabled.disabled_at).not.toBeNull();
    const [delivery] = await deliveries(hook.id, user);
    expect(delivery).toMatchObject({ status: 'failed', response_status: 410, next_attempt_at: null });
    await waitForStatus(t, user, (await generate(user)).job_id, ['succeeded']);
    expect(await deliveries(hook.id, user)).toHaveLength(1);
    const test = await t.http().post(`/v1/webhooks/${hook.id}/test`).set(user).expect(409);
    expect(test.body.code).toBe('conflict');
    // Enabled again by its owner: the reason is cleared and events flow again.
    receiver.route('/gone', hook.secret, [204]);
    const enabled = (await t.http().patch(`/v1/webhooks/${hook.id}`).set(user).send({ enabled: true }).expect(200)).body as WebhookEndpointResponse;
    expect(enabled).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null });
    await waitForStatus(t, user, (await generate(user)).job_id, ['succeeded']);
    await eventually(async () => receiver.on('/gone').some((r) => r.answered === 204), 10_000, 20);
  });

  it('disables an endpoint whose deliveries have failed for 24 hours (scaled with WEBHOOK_RETRY_BASE_MS), with the last error', async () => {
    const user = await signIn(t);
    const hook = await register('/failing-long', ['generation.succeeded'], [500], user);
    // Failing since long before: 24 h in units of the shortened base is 17,280 × 200 ms, under an hour.
    await t.app.get(DataSource).query(`UPDATE webhook_endpoints SET failing_since = now() - interval '2 hours' WHERE id = $1`, [hook.id]);
    await t.http().post(`/v1/webhooks/${hook.id}/test`).set(user).expect(202);
    await eventually(async () => !((await t.http().get(`/v1/webhooks/${hook.id}`).set(user)).body as WebhookEndpointResponse).enabled, 10_000, 20);
    const disabled = (await t.http().get(`/v1/webhooks/${hook.id}`).set(user).expect(200)).body as WebhookEndpointResponse;
    expect(disabled.disabled_reason).toMatch(/failed for 24 hours \(the last: The endpoint answered HTTP 500\.\)/);
    expect((await deliveries(hook.id, user))[0]).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null });
  });

  it('rotates the secret: later deliveries verify only with the new one', async () => {
    const user = await signIn(t);
    const hook = await register('/rotated', ['generation.succeeded'], [204], user);
    const rotated = (await t.http().post(`/v1/webhooks/${hook.id}/rotate-secret`).set(user).expect(200)).body as CreatedWebhookResponse;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(hook.secret);
    await t.http().post(`/v1/webhooks/${hook.id}/test`).set(user).expect(202);
    await eventually(async () => receiver.rejected.some((r) => r.path === '/rotated'), 10_000, 20);
    expect(receiver.on('/rotated')).toEqual([]);
    receiver.route('/rotated', rotated.secret, [204]);
    await t.http().post(`/v1/webhooks/${hook.id}/test`).set(user).expect(202);
    await eventually(async () => receiver.on('/rotated').length >= 1, 10_000, 20);
  });

  it('updates URL, events and description, and deletes', async () => {
    const hook = await register('/patch', ['generation.succeeded']);
    const patched = (await t.http().patch(`/v1/webhooks/${hook.id}`).set(auth).send({ url: `${base}/patched`, events: ['track.deleted'], description: 'renamed' }).expect(200))
      .body as WebhookEndpointResponse;
    expect(patched).toMatchObject({ url: `${base}/patched`, events: ['track.deleted'], description: 'renamed' });
    const bad = await t.http().patch(`/v1/webhooks/${hook.id}`).set(auth).send({ events: ['generation.started'] }).expect(400);
    expect(bad.body.code).toBe('validation_failed');
    await t.http().delete(`/v1/webhooks/${hook.id}`).set(auth).expect(204);
    await t.http().get(`/v1/webhooks/${hook.id}`).set(auth).expect(404);
  });

  it('refuses URLs that are not http(s), and bad events, with 400 and a sentence', async () => {
    const ftp = await t.http().post('/v1/webhooks').set(auth).send({ url: 'ftp://portal.example.com/hooks', events: ['generation.succeeded'] }).expect(400);
    expect(ftp.body).toMatchObject({ code: 'webhook_url_invalid', message: expect.stringMatching(/https:\/\/ or http:\/\//) });
    const junk = await t.http().post('/v1/webhooks').set(auth).send({ url: 'not a url', events: ['generation.succeeded'] }).expect(400);
    expect(junk.body.code).toBe('webhook_url_invalid');
    const none = await t.http().post('/v1/webhooks').set(auth).send({ url: 'https://portal.example.com/hooks/texttune', events: [] }).expect(400);
    expect(none.body.code).toBe('validation_failed');
  });

  it('lets an admin list every account\u2019s endpoints, and no one else', async () => {
    const hook = await register('/admin-listed', ['generation.succeeded']);
    await t.http().get('/v1/admin/webhooks').set(auth).expect(403);
    const ops = await signIn(t, 'ops@example.com');
    const all = (await t.http().get('/v1/admin/webhooks').set(ops).expect(200)).body as { items: (WebhookEndpointResponse & { user_id: string })[] };
    expect(all.items.find((e) => e.id === hook.id)?.user_id).toEqual(expect.any(String));
    expect(JSON.stringify(all)).not.toContain('whsec_');
  });
});

describe('webhooks without WEBHOOK_ALLOW_PRIVATE', () => {
  const receiver = new WebhookReceiver();
  let t: TestApp;
  let auth: Auth;

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_POLL_MS: '50' });
    auth = await signIn(t);
  }, 30_000);

  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  it('refuses private, loopback, link-local and metadata IP literals at creation', async () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://10.1.2.3/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/hook', 'https://192.168.0.10/hook', 'http://[::ffff:10.0.0.1]/hook']) {
      const res = await t.http().post('/v1/webhooks').set(auth).send({ url, events: ['generation.succeeded'] }).expect(400);
      expect(res.body).toMatchObject({ code: 'webhook_url_refused', message: expect.stringMatching(/only to public addresses.*WEBHOOK_ALLOW_PRIVATE/) });
    }
    // A public-looking host name is accepted offline: it is checked when delivering.
    await t.http().post('/v1/webhooks').set(auth).send({ url: 'https://portal.example.com/hooks/texttune', events: ['generation.succeeded'] }).expect(201);
  });

  it('fails a delivery to a host name that resolves to loopback, with the reason, and sends nothing', async () => {
    const created = (await t.http().post('/v1/webhooks').set(auth).send({ url: `http://localhost:${receiver.port}/private`, events: ['generation.succeeded'] }).expect(201))
      .body as CreatedWebhookResponse;
    receiver.route('/private', created.secret, [204]);
    await t.http().post(`/v1/webhooks/${created.id}/test`).set(auth).expect(202);
    let delivery: WebhookDeliveryResponse | undefined;
    await eventually(
      async () => {
        [delivery] = ((await t.http().get(`/v1/webhooks/${created.id}/deliveries`).set(auth).expect(200)).body as { items: WebhookDeliveryResponse[] }).items;
        return delivery?.last_error !== null;
      },
      10_000,
      20,
    );
    expect(delivery!.last_error).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a loopback address; webhooks are delivered only to public addresses/);
    expect(delivery!.response_status).toBeNull();
    expect(receiver.received).toEqual([]);
    expect(receiver.rejected).toEqual([]);
  });
});
