import { migratedDatabase, type MigratedDatabase } from '../../test/support/migrated-database';
import { ReferenceEntity } from './reference.entity';
import { ReferenceRepository } from './reference.repository';

describe('ReferenceRepository (real Postgres)', () => {
  let m: MigratedDatabase;
  let references: ReferenceRepository;
  beforeAll(async () => {
    m = await migratedDatabase();
    references = new ReferenceRepository(m.sql, m.dataSource.getRepository(ReferenceEntity));
  });
  afterAll(() => m?.close());

  const user = async () => (await m.sql.one<{ id: string }>(`INSERT INTO users (email) VALUES (NULL) RETURNING id`))!.id;
  const add = (userId: string, id: string) =>
    references.add({ id, userId, storageKey: `${userId}/refs/${id}.wav`, format: 'wav', codec: 'pcm', channels: 1, sampleRate: 44100, mimeType: 'audio/wav', sizeBytes: 5_000_000_000, durationSeconds: 1.5, fileName: '멜로디.wav' });

  it('adds a reference and finds it for its owner only, with its size as a number', async () => {
    const owner = await user();
    const id = '11111111-1111-4111-8111-111111111111';
    await add(owner, id);
    const found = await references.findOwned(owner, id);
    expect(found).toMatchObject({ id, userId: owner, sizeBytes: 5_000_000_000, durationSeconds: 1.5, fileName: '멜로디.wav', codec: 'pcm' });
    expect(found?.createdAt).toBeInstanceOf(Date);
    expect(await references.findOwned(await user(), id)).toBeNull();
  });

  it("lists a user's storage keys inside a transaction and removes a reference", async () => {
    const owner = await user();
    await add(owner, '22222222-2222-4222-8222-222222222222');
    await add(owner, '33333333-3333-4333-8333-333333333333');
    const keys = await m.sql.transaction((tx) => references.storageKeysOf(owner, tx));
    expect(keys.sort()).toEqual([`${owner}/refs/22222222-2222-4222-8222-222222222222.wav`, `${owner}/refs/33333333-3333-4333-8333-333333333333.wav`]);
    await references.remove('22222222-2222-4222-8222-222222222222');
    expect(await references.storageKeysOf(owner)).toEqual([`${owner}/refs/33333333-3333-4333-8333-333333333333.wav`]);
    expect(await references.storageKeysOf(await user())).toEqual([]);
  });
});
