import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { loadConfig, parseSecretsKey } from '../config/app-config';
import { SecretBox, SecretDecryptError } from '../common/secret-box';
import { HfTokenRejected, whoami } from './whoami';

const TOKEN = 'hf_unitTestToken0123456789abcdefWXYZ';

describe('SecretBox (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);
  const user = randomUUID();

  it('opens what it sealed, for the same user; a fresh 12-byte IV every time; no plaintext inside', () => {
    const a = box.seal(TOKEN, user);
    const b = box.seal(TOKEN, user);
    expect(box.open(a, user)).toBe(TOKEN);
    expect(box.open(b, user)).toBe(TOKEN);
    expect(a.length).toBe(1 + 12 + 16 + Buffer.byteLength(TOKEN));
    expect(a[0]).toBe(1);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from(TOKEN))).toBe(false);
    expect(a.includes(Buffer.from(TOKEN.slice(3, 12)))).toBe(false);
    expect(new SecretBox(Buffer.from(key)).open(a, user)).toBe(TOKEN); // the same key in another process
  });

  it('refuses anything altered, cut, sealed for another user or with another key', () => {
    const sealed = box.seal(TOKEN, user);
    const flipped = (index: number) => {
      const copy = Buffer.from(sealed);
      copy[index] ^= 0x01;
      return copy;
    };
    for (const index of [0, 1, 12, 13, 28, 29, sealed.length - 1]) {
      expect(() => box.open(flipped(index), user)).toThrow(SecretDecryptError);
    }
    expect(() => box.open(sealed.subarray(0, sealed.length - 1), user)).toThrow(SecretDecryptError);
    expect(() => box.open(sealed.subarray(0, 29), user)).toThrow(SecretDecryptError);
    expect(() => box.open(Buffer.alloc(0), user)).toThrow(SecretDecryptError);
    expect(() => box.open(sealed, randomUUID())).toThrow(SecretDecryptError);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, user)).toThrow(SecretDecryptError);
  });

  it('names its key without revealing it, and never shows it', () => {
    expect(box.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(new SecretBox(Buffer.from(key)).keyId).toBe(box.keyId);
    expect(new SecretBox(randomBytes(32)).keyId).not.toBe(box.keyId);
    for (const shown of [JSON.stringify({ box }), inspect(box, { showHidden: true, depth: 5 })]) {
      expect(shown).not.toContain(key.toString('hex'));
      expect(shown).not.toContain(key.toString('base64'));
    }
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('SECRETS_KEY', () => {
  const key = randomBytes(32);

  it('is 32 bytes as hex, base64 or base64url', () => {
    expect(parseSecretsKey(key.toString('hex'))?.equals(key)).toBe(true);
    expect(parseSecretsKey(key.toString('base64'))?.equals(key)).toBe(true);
    expect(parseSecretsKey(` ${key.toString('base64url')} `)?.equals(key)).toBe(true);
    expect(parseSecretsKey(randomBytes(16).toString('hex'))).toBeNull();
    expect(parseSecretsKey(randomBytes(31).toString('base64'))).toBeNull();
    expect(parseSecretsKey(randomBytes(33).toString('base64'))).toBeNull();
    expect(parseSecretsKey('correct horse battery staple')).toBeNull();
    expect(loadConfig({ SECRETS_KEY: key.toString('base64') }).secretsKey?.equals(key)).toBe(true);
    expect(loadConfig({}).secretsKey).toBeNull();
  });

  it('a malformed key stops the boot, without repeating the value', () => {
    const bad = `${key.toString('hex')}ff`;
    let error: Error | undefined;
    try {
      loadConfig({ SECRETS_KEY: bad });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/SECRETS_KEY: must be 32 random bytes/);
    expect(error?.message).not.toContain(bad);
    expect(error?.message).not.toContain(key.toString('hex').slice(0, 16));
  });

  it('HF_TOKEN_POLICY=user-only with a Space needs it', () => {
    expect(() => loadConfig({ HF_SPACE_ID: 'acme/music', HF_TOKEN_POLICY: 'user-only' })).toThrow(/HF_TOKEN_POLICY: "user-only" needs SECRETS_KEY/);
    expect(loadConfig({ HF_SPACE_ID: 'acme/music', HF_TOKEN_POLICY: 'user-only', SECRETS_KEY: key.toString('hex') }).hfTokens).toEqual({
      policy: 'user-only',
      hubUrl: 'https://huggingface.co',
      hubTimeoutMs: 5000,
    });
    expect(() => loadConfig({ HF_TOKEN_POLICY: 'anyone' })).toThrow(/HF_TOKEN_POLICY/);
    expect(() => loadConfig({ HF_HUB_URL: 'ftp://hub' })).toThrow(/HF_HUB_URL/);
  });
});

describe('whoami', () => {
  const hub = { hubUrl: 'https://hub.example', timeoutMs: 200 };
  const answer = (status: number, body: unknown = {}) => jest.fn(async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;

  it('asks HF_HUB_URL with the token, no redirects', async () => {
    const fetchImpl = answer(200, { type: 'user', name: 'alice' });
    await expect(whoami(TOKEN, { ...hub, fetchImpl })).resolves.toEqual({ verification: 'verified', account: 'alice', warning: null });
    const [url, init] = (fetchImpl as unknown as jest.Mock).mock.calls[0] as [string, RequestInit];
    expect(url).toBe('https://hub.example/api/whoami-v2');
    expect(init).toMatchObject({ headers: { Authorization: `Bearer ${TOKEN}` }, redirect: 'error' });
  });

  it('401 is a refusal; an outage, a timeout or another status is "unverified" with a warning that never repeats the token', async () => {
    await expect(whoami(TOKEN, { ...hub, fetchImpl: answer(401, { error: 'Invalid credentials in Authorization header' }) })).rejects.toBeInstanceOf(HfTokenRejected);
    const offline = jest.fn(async () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })));
    const hanging = jest.fn((_url: string, init: RequestInit) => new Promise<Response>((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason))));
    const results = [
      await whoami(TOKEN, { ...hub, fetchImpl: offline }),
      await whoami(TOKEN, { ...hub, fetchImpl: hanging as unknown as typeof fetch }),
      await whoami(TOKEN, { ...hub, fetchImpl: answer(503) }),
    ];
    expect(results.map((r) => r.verification)).toEqual(['unverified', 'unverified', 'unverified']);
    expect(results[0].warning).toMatch(/could not be reached \(ECONNREFUSED\)/);
    expect(results[1].warning).toMatch(/did not answer within 0\.2 s/);
    expect(results[2].warning).toMatch(/answered HTTP 503/);
    for (const r of results) expect(r.warning).not.toContain(TOKEN);
  });
});
