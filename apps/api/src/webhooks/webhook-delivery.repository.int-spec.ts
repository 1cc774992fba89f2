import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

describe('WebhookDeliveryRepository (real Postgres)', () => {
  let m: MigratedDatabase;
  let deliveries: WebhookDeliveryRepository;
  beforeAll(async () => {
    m = await migratedDatabase();
    deliveries = new WebhookDeliveryRepository(m.sql);
  });
  afterAll(() => m?.close());

  async function endpointWith(messages: number): Promise<{ endpointId: string; ids: string[] }> {
    const userId = (await m.sql.one<{ id: string }>(`INSERT INTO users (email) VALUES (NULL) RETURNING id`))!.id;
    const endpointId = (await m.sql.one<{ id: string }>(
      `INSERT INTO webhook_endpoints (user_id, url, events, secret_sealed, key_id) VALUES ($1, 'https://hooks.example/in', '{generation.succeeded}', '\\x00', 'k1') RETURNING id`,
      [userId],
    ))!.id;
    const ids: string[] = [];
    for (let i = 0; i < messages; i++) {
      ids.push((await m.sql.one<{ id: string }>(`INSERT INTO webhook_deliveries (message_id, endpoint_id, event_type, payload) VALUES ($1, $2, 'generation.succeeded', '{"n": 1}') RETURNING id`, [`msg_${endpointId.slice(0, 8)}_${i}`, endpointId]))!.id);
    }
    return { endpointId, ids };
  }
  const row = (id: string) => m.sql.one<{ status: string; attempts: number; lease_token: string | null; last_error: string | null; next_attempt_at: Date | null }>(`SELECT status, attempts, lease_token, last_error, next_attempt_at FROM webhook_deliveries WHERE id = $1`, [id]);

  it('leases due rows to one worker at a time and counts the attempt; a handed-back row is due again, uncounted', async () => {
    const { ids } = await endpointWith(3);
    const [a, b] = await Promise.all([deliveries.lease(2, 30, '0000000A-0000-4000-8000-000000000000'), deliveries.lease(2, 30, '0000000B-0000-4000-8000-000000000000')]);
    const leased = [...a, ...b].map((d) => d.id);
    expect(leased.sort()).toEqual([...ids].sort());
    expect(new Set(leased).size).toBe(3);
    expect(a[0] ?? b[0]).toMatchObject({ attempts: 1, url: 'https://hooks.example/in', enabled: true, key_id: 'k1', payload: { n: 1 } });
    expect(await deliveries.lease(10, 30, '0000000C-0000-4000-8000-000000000000')).toEqual([]);

    const first = a[0] ?? b[0];
    await deliveries.handBack(first.id, '0000000E-0000-4000-8000-000000000000');
    expect((await row(first.id))?.attempts).toBe(1);
    await deliveries.handBack(first.id, a[0] ? '0000000A-0000-4000-8000-000000000000' : '0000000B-0000-4000-8000-000000000000');
    expect(await row(first.id)).toMatchObject({ attempts: 0, lease_token: null, status: 'pending' });
    expect((await deliveries.lease(10, 30, '0000000D-0000-4000-8000-000000000000')).map((d) => d.id)).toEqual([first.id]);
  });

  it('records outcomes only under the lease: delivered, retried later, or failed for good', async () => {
    const { endpointId, ids } = await endpointWith(3);
    await deliveries.lease(3, 30, '0000000F-0000-4000-8000-000000000000');
    const attempt = { status: 500, durationMs: 12, error: 'The endpoint answered HTTP 500.' };
    expect(await deliveries.succeeded(ids[0], '00000001-0000-4000-8000-000000000000', { status: 200, durationMs: 5, error: null })).toBe(false);
    expect(await deliveries.succeeded(ids[0], '0000000F-0000-4000-8000-000000000000', { status: 200, durationMs: 5, error: null })).toBe(true);
    expect(await row(ids[0])).toMatchObject({ status: 'succeeded', lease_token: null, next_attempt_at: null });

    expect(await deliveries.attemptFailed(ids[1], '0000000F-0000-4000-8000-000000000000', attempt, 300)).toBe(true);
    const retried = await row(ids[1]);
    expect(retried).toMatchObject({ status: 'pending', last_error: attempt.error, lease_token: null });
    expect(retried!.next_attempt_at!.getTime() - Date.now()).toBeGreaterThan(250_000);
    expect(await m.sql.transaction((tx) => deliveries.attemptFailed(ids[2], '0000000F-0000-4000-8000-000000000000', attempt, null, tx))).toBe(true);
    expect(await row(ids[2])).toMatchObject({ status: 'failed', next_attempt_at: null });
    expect(await deliveries.attemptFailed(ids[2], '0000000F-0000-4000-8000-000000000000', attempt, null)).toBe(false);

    expect(await deliveries.endpointFailed(endpointId, 3600)).toBe(false);
    await m.sql.run(`UPDATE webhook_endpoints SET failing_since = now() - interval '2 hours' WHERE id = $1`, [endpointId]);
    expect(await deliveries.endpointFailed(endpointId, 3600)).toBe(true);
    await deliveries.endpointRecovered(endpointId);
    expect(await m.sql.one(`SELECT failing_since FROM webhook_endpoints WHERE id = $1`, [endpointId])).toEqual({ failing_since: null });
  });

  it('disables an endpoint: its waiting messages fail, one a worker holds stays with it; old finished rows are pruned', async () => {
    const { endpointId, ids } = await endpointWith(2);
    await m.sql.run(`UPDATE webhook_deliveries SET lease_token = gen_random_uuid() WHERE id = $1`, [ids[1]]);
    await m.sql.transaction((tx) => deliveries.disableEndpoint(endpointId, 'Gone.', tx));
    expect(await m.sql.one(`SELECT enabled, disabled_reason FROM webhook_endpoints WHERE id = $1`, [endpointId])).toEqual({ enabled: false, disabled_reason: 'Gone.' });
    expect(await row(ids[0])).toMatchObject({ status: 'failed', last_error: 'The endpoint was disabled before this was sent.' });
    expect((await row(ids[1]))?.status).toBe('pending');

    await m.sql.run(`UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE endpoint_id = $1`, [endpointId]);
    await deliveries.pruneFinished(30);
    expect(await row(ids[0])).toBeUndefined();
    expect(await row(ids[1])).toBeDefined();
  });
});
