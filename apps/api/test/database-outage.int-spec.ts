import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { signIn } from './support/helpers';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * A TCP relay between the API and Postgres that can be cut, as a database that goes
 * away (crash, restart, network) and comes back.
 */
async function startRelay(target: URL) {
  const sockets = new Set<net.Socket>();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      cut = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('database outage', () => {
  let db: TestDatabase;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let t: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    relay = await startRelay(new URL(db.url));
    const url = new URL(db.url);
    url.hostname = '127.0.0.1';
    url.port = String(relay.port);
    t = await startTestApp({}, { db: { ...db, url: url.toString() } });
    auth = await signIn(t);
  });
  afterAll(async () => {
    await t.close();
    await relay.close();
    await db.drop();
  });

  it('answers 503 database_unavailable with Retry-After while Postgres is unreachable, and recovers when it is back', async () => {
    await t.http().get('/v1/library').set(auth).expect(200);

    relay.cut();
    for (const request of [t.http().get('/v1/library').set(auth), t.http().get('/v1/me').set(auth), t.http().post('/v1/auth/guest')]) {
      const res = await request.expect(503);
      expect(res.headers['retry-after']).toBe('30');
      expect(res.body).toMatchObject({ statusCode: 503, code: 'database_unavailable', message: expect.stringMatching(/database cannot be reached/) });
    }

    relay.restore();
    await t.http().get('/v1/library').set(auth).expect(200);
  });
});
