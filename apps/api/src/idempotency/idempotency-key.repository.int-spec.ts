import { randomUUID } from 'node:crypto';
import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import { IdempotencyKeyRepository, type KeyClaim } from './idempotency-key.repository';

describe('IdempotencyKeyRepository (real Postgres)', () => {
  let m: MigratedDatabase;
  let keys: IdempotencyKeyRepository;
  let userId: string;
  beforeAll(async () => {
    m = await migratedDatabase();
    keys = new IdempotencyKeyRepository(m.sql);
    userId = (await m.sql.one<{ id: string }>(`INSERT INTO users (email) VALUES (NULL) RETURNING id`))!.id;
  });
  afterAll(() => m?.close());

  const claim = (key: string, fields: Partial<KeyClaim> = {}): KeyClaim => ({ userId, key, method: 'POST', path: '/v1/generations', fingerprint: Buffer.from('body-1'), lock: randomUUID(), ttlSeconds: 3600, ...fields });

  it('lets one of several concurrent requests insert a key; the others find it held', async () => {
    const results = await Promise.all([1, 2, 3].map(() => keys.insert(claim('k-1'))));
    expect(results.filter(Boolean)).toHaveLength(1);
    const row = await keys.find(userId, 'k-1', 60);
    expect(row).toMatchObject({ method: 'POST', path: '/v1/generations', fingerprint: Buffer.from('body-1'), response_status: null, response_body: null, response_sealed: false });
    expect(row!.lock_seconds_left).toBeGreaterThan(55);
    expect(row!.lock_seconds_left).toBeLessThanOrEqual(60);
  });

  it('stores the response of the lock holder only, then replays it; a release frees the key', async () => {
    const first = claim('k-2');
    expect(await keys.insert(first)).toBe(true);
    await keys.complete(randomUUID(), { status: 500, body: 'not mine', sealed: false });
    expect((await keys.find(userId, 'k-2', 60))?.response_status).toBeNull();
    await keys.complete(first.lock, { status: 201, body: '{"id":1}', sealed: true });
    expect(await keys.find(userId, 'k-2', 60)).toMatchObject({ response_status: 201, response_body: '{"id":1}', response_sealed: true, lock_seconds_left: null });

    const other = claim('k-3');
    await keys.insert(other);
    await keys.release(other.lock);
    expect(await keys.find(userId, 'k-3', 60)).toBeUndefined();
    await keys.forgetCompleted(userId, 'k-2');
    expect(await keys.find(userId, 'k-2', 60)).toBeUndefined();
  });

  it('hands an abandoned key to a retry of the same request, and an expired key to anyone; purges expired keys', async () => {
    const held = claim('k-4');
    await keys.insert(held);
    expect(await keys.takeOver(claim('k-4'), 60)).toBe(false);
    await m.sql.run(`UPDATE idempotency_keys SET locked_at = now() - interval '2 minutes' WHERE key = 'k-4'`);
    expect(await keys.takeOver(claim('k-4', { fingerprint: Buffer.from('other body') }), 60)).toBe(false);
    const retry = claim('k-4');
    expect(await keys.takeOver(retry, 60)).toBe(true);
    await keys.complete(retry.lock, { status: 200, body: null, sealed: false });
    expect((await keys.find(userId, 'k-4', 60))?.response_status).toBe(200);

    await m.sql.run(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'k-4'`);
    expect(await keys.takeOver(claim('k-4', { method: 'PUT', path: '/v1/other', fingerprint: Buffer.from('x') }), 60)).toBe(true);
    expect(await keys.find(userId, 'k-4', 60)).toMatchObject({ method: 'PUT', path: '/v1/other', response_status: null });

    await m.sql.run(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second'`);
    const remaining = (await m.sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM idempotency_keys`))!.n;
    expect(remaining).toBeGreaterThan(1);
    expect(await keys.purgeExpired(1)).toBe(1);
    expect(await keys.purgeExpired(1000)).toBe(remaining - 1);
  });
});
