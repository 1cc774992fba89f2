import { createHash } from 'node:crypto';
import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import { ApiTokenEntity } from './api-token.entity';
import { ApiTokenRepository } from './api-token.repository';

const hash = (secret: string) => createHash('sha256').update(secret).digest();

describe('ApiTokenRepository (real Postgres)', () => {
  let m: MigratedDatabase;
  let tokens: ApiTokenRepository;
  beforeAll(async () => {
    m = await migratedDatabase();
    tokens = new ApiTokenRepository(m.sql, m.dataSource.getRepository(ApiTokenEntity));
  });
  afterAll(() => m?.close());

  const user = async () => (await m.sql.one<{ id: string }>(`INSERT INTO users (email) VALUES (NULL) RETURNING id`))!.id;
  const issue = (userId: string, secret: string, expiresAt = new Date(Date.now() + 86_400_000)) =>
    tokens.issue({ userId, name: `token ${secret}`, tokenHash: hash(secret), prefix: secret.slice(0, 12), expiresAt, scopes: ['read', 'generate'] });
  const lastUsed = async (id: string) => (await m.sql.one<{ last_used_at: Date | null }>(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [id]))!.last_used_at;

  it('finds the caller of a live token by its hash and stamps its use at most once per interval', async () => {
    const userId = await user();
    const token = await issue(userId, 'secret-a');
    expect(await lastUsed(token.id)).toBeNull();
    const row = await tokens.liveCaller(hash('secret-a'), '1 minute');
    expect(row).toMatchObject({ id: userId, token_id: token.id, token_scopes: ['read', 'generate'] });
    expect(row?.caller_expires_at.getTime()).toBe(token.expiresAt.getTime());
    const stamped = await lastUsed(token.id);
    expect(stamped).toBeInstanceOf(Date);

    await tokens.liveCaller(hash('secret-a'), '1 minute');
    expect(await lastUsed(token.id)).toEqual(stamped);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await tokens.liveCaller(hash('secret-a'), '0 seconds');
    expect((await lastUsed(token.id))!.getTime()).toBeGreaterThan(stamped!.getTime());

    expect(await tokens.liveCaller(hash('unknown'), '1 minute')).toBeUndefined();
    const expired = await issue(userId, 'secret-expired', new Date(Date.now() - 1000));
    expect(await tokens.liveCaller(hash('secret-expired'), '1 minute')).toBeUndefined();
    expect(await lastUsed(expired.id)).toBeNull();
  });

  it("reads the route's resource with the token, only when the token's account owns it", async () => {
    const userId = await user();
    await issue(userId, 'secret-b');
    const mine = (await m.sql.one<{ id: string }>(`INSERT INTO playlists (user_id, title) VALUES ($1, 'mine') RETURNING id`, [userId]))!.id;
    const theirs = (await m.sql.one<{ id: string }>(`INSERT INTO playlists (user_id, title) VALUES ($1, 'theirs') RETURNING id`, [await user()]))!.id;
    const lookup = { name: 'playlist', table: 'playlists', columns: ['id', 'title'], param: 'id', fromRow: (row: Record<string, unknown>) => row, notFound: () => new Error('404') };
    const own = (await tokens.liveCaller(hash('secret-b'), '1 minute', { lookup, id: mine })) as unknown as Record<string, unknown>;
    expect([own['owned.id'], own['owned.title']]).toEqual([mine, 'mine']);
    const other = (await tokens.liveCaller(hash('secret-b'), '1 minute', { lookup, id: theirs })) as unknown as Record<string, unknown>;
    expect(other.id).toBe(userId);
    expect(other['owned.id']).toBeNull();
  });

  it('lists, counts and revokes the live tokens of an account, never another account’s', async () => {
    const userId = await user();
    const first = await issue(userId, 'secret-c1');
    const second = await issue(userId, 'secret-c2');
    expect(await tokens.countLive(userId)).toBe(2);
    expect((await tokens.listLive(userId)).map((t) => t.id)).toEqual([second.id, first.id]);

    expect(await tokens.revoke(await user(), first.id)).toBe(false);
    expect(await tokens.revoke(userId, first.id)).toBe(true);
    expect(await tokens.revoke(userId, first.id)).toBe(false);
    expect(await tokens.liveCaller(hash('secret-c1'), '1 minute')).toBeUndefined();
    expect((await tokens.listLive(userId)).map((t) => t.id)).toEqual([second.id]);

    expect(await m.sql.transaction((tx) => tokens.revokeAllOf(userId, tx))).toBe(1);
    expect(await tokens.countLive(userId)).toBe(0);
  });
});
