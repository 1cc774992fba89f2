import { parseOptions } from '@node-rs/argon2';
import legacy from './testing/argon2-legacy-hashes.json';
import { hashPassword, verifyPassword } from './password-hash';

describe('password hashes', () => {
  describe.each(legacy.hashes)('a hash made by node-argon2 0.45.1 with $options', ({ password, hash }) => {
    it('verifies with its password', async () => {
      expect(await verifyPassword(hash, password)).toBe(true);
    });

    it('refuses another password, even one character off', async () => {
      expect(await verifyPassword(hash, `${password}x`)).toBe(false);
      expect(await verifyPassword(hash, password.slice(0, -1))).toBe(false);
    });
  });

  it('makes new hashes with the parameters of the stored ones (argon2id v19, 64 MiB, 3 passes, 4 lanes, 32 bytes)', async () => {
    const hash = await hashPassword('a new passphrase');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    const legacyDefaults = legacy.hashes.find((entry) => Object.keys(entry.options).length === 1)!;
    expect(parseOptions(hash)).toEqual(parseOptions(legacyDefaults.hash));
    expect(await verifyPassword(hash, 'a new passphrase')).toBe(true);
    expect(await verifyPassword(hash, 'a new passphrasf')).toBe(false);
  });

  it('salts every hash afresh', async () => {
    const [first, second] = await Promise.all([hashPassword('same words'), hashPassword('same words')]);
    expect(first).not.toBe(second);
  });

  it('treats a stored value that is not a hash as a mismatch', async () => {
    expect(await verifyPassword('', 'anything')).toBe(false);
    expect(await verifyPassword('not-a-phc-string', 'not-a-phc-string')).toBe(false);
  });
});
