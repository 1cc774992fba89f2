import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

describe('WebhookEndpointRepository (real Postgres)', () => {
  let m: MigratedDatabase;
  let endpoints: WebhookEndpointRepository;
  beforeAll(async () => {
    m = await migratedDatabase();
    endpoints = new WebhookEndpointRepository(m.sql, m.dataSource.getRepository(WebhookEndpointEntity));
  });
  afterAll(() => m?.close());

  const user = async () => (await m.sql.one<{ id: string }>(`INSERT INTO users (email) VALUES (NULL) RETURNING id`))!.id;
  const create = (userId: string, url = 'https://hooks.example/in') =>
    endpoints.create({ userId, url, events: ['generation.succeeded'], description: null }, (id) => ({ sealed: Buffer.from(`sealed for ${id}`), keyId: 'k1' }));

  it('creates an endpoint whose secret is sealed for the id the row gets', async () => {
    const userId = await user();
    const made = await create(userId);
    expect(made).toMatchObject({ userId, url: 'https://hooks.example/in', events: ['generation.succeeded'], enabled: true, keyId: 'k1' });
    const sealed = await m.sql.one<{ secret_sealed: Buffer }>(`SELECT secret_sealed FROM webhook_endpoints WHERE id = $1`, [made.id]);
    expect(sealed?.secret_sealed.toString()).toBe(`sealed for ${made.id}`);
    expect(await endpoints.countOf(userId)).toBe(1);
  });

  it("finds, lists, changes and removes only the owner's endpoints", async () => {
    const userId = await user();
    const first = await create(userId, 'https://a.example/');
    const second = await create(userId, 'https://b.example/');
    expect((await endpoints.listOf(userId)).map((e) => e.id)).toEqual([first.id, second.id]);
    expect((await endpoints.newest(1)).map((e) => e.id)).toEqual([second.id]);
    expect(await endpoints.findOwned(await user(), first.id)).toBeNull();

    await endpoints.change(first.id, { enabled: false, disabledReason: 'Disabled by its owner.', disabledAt: new Date() });
    expect(await endpoints.findOwned(userId, first.id)).toMatchObject({ enabled: false, disabledReason: 'Disabled by its owner.' });
    await endpoints.remove(first.id);
    expect(await endpoints.findOwned(userId, first.id)).toBeNull();
    expect(await endpoints.countOf(userId)).toBe(1);
  });

  it('queues a delivery and shows the log newest first', async () => {
    const endpoint = await create(await user());
    const first = await endpoints.queueDelivery(endpoint.id, { id: 'msg_1', type: 'webhook.test', payload: { data: { n: 1 } } });
    expect(first).toMatchObject({ message_id: 'msg_1', event_type: 'webhook.test', status: 'pending', attempts: 0, delivered_at: null });
    const second = await endpoints.queueDelivery(endpoint.id, { id: 'msg_2', type: 'webhook.test', payload: {} });
    expect((await endpoints.recentDeliveries(endpoint.id, 10)).map((d) => d.id)).toEqual([second.id, first.id]);
    expect(await endpoints.recentDeliveries(endpoint.id, 1)).toHaveLength(1);
    const payload = await m.sql.one<{ payload: unknown }>(`SELECT payload FROM webhook_deliveries WHERE id = $1`, [first.id]);
    expect(payload?.payload).toEqual({ data: { n: 1 } });
  });
});
