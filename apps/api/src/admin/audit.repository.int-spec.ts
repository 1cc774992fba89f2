import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import { AuditLogEntity } from './audit-log.entity';
import { AuditRepository, type NewAuditEntry } from './audit.repository';

describe('AuditRepository (real Postgres)', () => {
  let m: MigratedDatabase;
  let audit: AuditRepository;
  beforeAll(async () => {
    m = await migratedDatabase();
    audit = new AuditRepository(m.sql, m.dataSource.getRepository(AuditLogEntity));
  });
  afterAll(() => m?.close());

  const entry = (fields: Partial<NewAuditEntry>): NewAuditEntry => ({
    actorId: null,
    actorEmail: 'admin@example.com',
    action: 'user.disabled',
    targetType: 'user',
    targetId: 'u-1',
    details: {},
    ip: '127.0.0.1',
    userAgent: 'jest',
    requestId: 'req-1',
    ...fields,
  });

  it('appends entries with their details, and only when the transaction of the action commits', async () => {
    const actor = (await m.sql.one<{ id: string }>(`INSERT INTO users (email) VALUES ('admin@example.com') RETURNING id`))!.id;
    await audit.append(entry({ actorId: actor, details: { sessionsEnded: 2, note: "it's \"quoted\" 🎹" } }));
    await expect(
      m.sql.transaction(async (tx) => {
        await audit.append(entry({ targetId: 'rolled-back' }), tx);
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    const [row] = await audit.page({ limit: 10 });
    expect(row).toMatchObject({ actorId: actor, actorEmail: 'admin@example.com', action: 'user.disabled', targetType: 'user', targetId: 'u-1', details: { sessionsEnded: 2, note: "it's \"quoted\" 🎹" }, requestId: 'req-1' });
    expect(await audit.page({ targetId: 'rolled-back', limit: 10 })).toEqual([]);
  });

  it('pages newest first by keyset and filters by action, actor and target', async () => {
    await audit.append(entry({ action: 'invite.created', targetType: 'invite', targetId: 'i-1' }));
    await audit.append(entry({ action: 'invite.revoked', targetType: 'invite', targetId: 'i-1' }));
    const all = await audit.page({ limit: 10 });
    expect(all.map((row) => row.action)).toEqual(['invite.revoked', 'invite.created', 'user.disabled']);
    const next = await audit.page({ after: { createdAt: all[0].createdAt, id: all[0].id }, limit: 1 });
    expect(next.map((row) => row.action)).toEqual(['invite.created']);
    expect((await audit.page({ action: 'invite.created', limit: 10 })).map((row) => row.targetId)).toEqual(['i-1']);
    expect(await audit.page({ targetId: 'i-1', limit: 10 })).toHaveLength(2);
    expect(await audit.page({ actorId: all[2].actorId!, limit: 10 })).toHaveLength(1);
  });
});
