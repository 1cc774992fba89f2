import { createHash } from 'node:crypto';
import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import { InviteEntity } from './invite.entity';
import { InviteRepository } from './invite.repository';

const hash = (code: string) => createHash('sha256').update(code).digest();

describe('InviteRepository (real Postgres)', () => {
  let m: MigratedDatabase;
  let invites: InviteRepository;
  beforeAll(async () => {
    m = await migratedDatabase();
    invites = new InviteRepository(m.sql, m.dataSource.getRepository(InviteEntity));
  });
  afterAll(() => m?.close());

  it('creates an invite valid for exactly the hours asked, inside the caller’s transaction', async () => {
    const invite = await m.sql.transaction((tx) => invites.create({ codeHash: hash('code-1'), email: 'eve@example.com', createdBy: null, expiresInHours: 24 }, tx));
    expect(invite.expiresAt.getTime() - invite.createdAt.getTime()).toBe(24 * 3600_000);
    expect(invite).toMatchObject({ email: 'eve@example.com', usedAt: null, revokedAt: null, createdBy: null });
    await expect(
      m.sql.transaction(async (tx) => {
        await invites.create({ codeHash: hash('code-rolled-back'), email: null, createdBy: null, expiresInHours: 1 }, tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await invites.usable(hash('code-rolled-back'), 'any@example.com')).toBe(false);
  });

  it('is usable by its email only, claimed once, released and used up', async () => {
    const invite = await invites.create({ codeHash: hash('code-2'), email: 'fay@example.com', createdBy: null, expiresInHours: 1 });
    expect(await invites.usable(hash('code-2'), 'fay@example.com')).toBe(true);
    expect(await invites.usable(hash('code-2'), 'other@example.com')).toBe(false);
    expect(await invites.claim(hash('code-2'), 'other@example.com')).toBeUndefined();
    const claims = await Promise.all([invites.claim(hash('code-2'), 'fay@example.com'), invites.claim(hash('code-2'), 'fay@example.com')]);
    expect(claims.filter((id) => id === invite.id)).toHaveLength(1);
    expect(claims.filter((id) => id === undefined)).toHaveLength(1);
    expect(await invites.usable(hash('code-2'), 'fay@example.com')).toBe(false);

    await invites.release(invite.id);
    expect(await invites.claim(hash('code-2'), 'fay@example.com')).toBe(invite.id);
    const userId = (await m.sql.one<{ id: string }>(`INSERT INTO users (email) VALUES ('fay@example.com') RETURNING id`))!.id;
    await invites.markUsedBy(invite.id, userId);
    expect((await invites.newest(10)).find((i) => i.id === invite.id)?.usedBy).toBe(userId);
  });

  it('revokes only unused invites; an expired one is not usable; lists newest first', async () => {
    const open = await invites.create({ codeHash: hash('code-3'), email: null, createdBy: null, expiresInHours: 1 });
    expect(await invites.revoke(open.id)).toBe(true);
    expect(await invites.revoke(open.id)).toBe(false);
    expect(await invites.usable(hash('code-3'), 'x@example.com')).toBe(false);
    const expired = await invites.create({ codeHash: hash('code-4'), email: null, createdBy: null, expiresInHours: 0 });
    expect(await invites.usable(hash('code-4'), 'x@example.com')).toBe(false);
    const listed = await invites.newest(2);
    expect(listed.map((i) => i.id)).toEqual([expired.id, open.id]);
  });
});
