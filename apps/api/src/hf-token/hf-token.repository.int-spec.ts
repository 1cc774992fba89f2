import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import { HfTokenEntity } from './hf-token.entity';
import { HfTokenRepository, type StoredHfToken } from './hf-token.repository';

describe('HfTokenRepository (real Postgres)', () => {
  let m: MigratedDatabase;
  let tokens: HfTokenRepository;
  beforeAll(async () => {
    m = await migratedDatabase();
    tokens = new HfTokenRepository(m.sql, m.dataSource.getRepository(HfTokenEntity));
  });
  afterAll(() => m?.close());

  const user = async () => (await m.sql.one<{ id: string }>(`INSERT INTO users (email) VALUES (NULL) RETURNING id`))!.id;
  const token = (userId: string, fields: Partial<StoredHfToken> = {}): StoredHfToken => ({
    userId,
    tokenSealed: Buffer.from([0, 1, 2, 255]),
    keyId: 'k1',
    last4: 'abcd',
    account: 'someone',
    verification: 'verified',
    warning: null,
    ...fields,
  });

  it('stores one token per user, replacing the earlier one; describes it without the sealed secret', async () => {
    const userId = await user();
    expect(await tokens.describe(userId)).toBeNull();
    expect(await tokens.sealed(userId)).toBeUndefined();
    await tokens.store(token(userId));
    const first = await tokens.describe(userId);
    expect(first).toMatchObject({ userId, keyId: 'k1', last4: 'abcd', account: 'someone', verification: 'verified', warning: null });
    expect(first?.tokenSealed).toBeUndefined();

    await new Promise((resolve) => setTimeout(resolve, 5));
    await tokens.store(token(userId, { tokenSealed: Buffer.from('new'), last4: 'wxyz', account: null, verification: 'unverified', warning: 'could not check' }));
    const second = await tokens.describe(userId);
    expect(second).toMatchObject({ last4: 'wxyz', account: null, verification: 'unverified', warning: 'could not check' });
    expect(second!.updatedAt.getTime()).toBeGreaterThan(first!.updatedAt.getTime());
    expect(await tokens.sealed(userId)).toEqual({ token_sealed: Buffer.from('new'), key_id: 'k1', last4: 'wxyz', account: null });
    expect(await m.sql.one(`SELECT count(*)::int AS n FROM hf_tokens WHERE user_id = $1`, [userId])).toEqual({ n: 1 });
  });

  it("removes a user's token and no one else's", async () => {
    const [a, b] = [await user(), await user()];
    await tokens.store(token(a));
    await tokens.store(token(b));
    await tokens.remove(a);
    expect(await tokens.sealed(a)).toBeUndefined();
    expect(await tokens.sealed(b)).toBeDefined();
  });
});
