import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultSoundFontPath } from '@texttune/composer';
import { CONFIG_VARIABLES, ConfigError, DEV_JWT_SECRET, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working defaults for local use', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      role: 'all',
      http: { port: 4000, allowOrigins: [] },
      auth: { mode: 'open', jwtSecret: DEV_JWT_SECRET },
      generation: { maxDurationSeconds: 300 },
      database: { url: undefined, dataDir: '.data' },
      storageDir: 'storage',
    });
  });

  it('lists every bad variable in one message', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', MAX_DURATION_SECONDS: '-1', DATABASE_URL: 'mysql://x', AUTH_MODE: 'magic', TEXTTUNE_ROLE: 'boss' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.split(':')[0]).sort();
    expect(problems).toEqual(['AUTH_MODE', 'DATABASE_URL', 'MAX_DURATION_SECONDS', 'PORT', 'TEXTTUNE_ROLE']);
    expect((error as Error).message).toContain('PORT');
  });

  // Strong values as `openssl rand` makes them (fixed here so that the tests repeat).
  const STRONG_JWT_SECRET = '5haJb11fqsJbMu5kvhh31wR3rr9cgLi6Jcp3caNjzTSN2dw9hOPoC5YW8r1dMber';
  const STRONG_SECRETS_KEY = 'kSgWgvFWcFdCGCKltgelscqYFjTo3iM/vFd6UtbQvm0=';
  const production = (env: Record<string, string> = {}) => ({ NODE_ENV: 'production', JWT_SECRET: STRONG_JWT_SECRET, METRICS_TOKEN: 'metrics-scrape-token-7f3a9c', ...env });
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  it('refuses the default, a short or a guessable JWT_SECRET in production, saying how to make a good one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: must be set/);
    expect(() => loadConfig(production({ JWT_SECRET: 'short' }))).toThrow(/JWT_SECRET: is 5 characters long; at least 32/);
    const weak: Record<string, RegExp> = {
      ['a'.repeat(48)]: /about \d+ bits/,
      ['x'.repeat(40)]: /about \d+ bits/,
      abcdefghijklmnopqrstuvwxyz0123456789: /about \d+ bits/,
      ['0123456789abcdef'.repeat(4)]: /about \d+ bits/,
      ['abcd1234'.repeat(5)]: /about \d+ bits/,
      'change-me-to-a-long-random-string-of-48-chars!!': /default or placeholder/,
      'replace-with-the-output-of-openssl-rand-base64-48': /default or placeholder/,
      'passwordpasswordpassword123456789': /about \d+ bits/,
      changeme: /default or placeholder/,
      secret: /default or placeholder/,
    };
    for (const [value, reason] of Object.entries(weak)) {
      const [problem] = problemsOf(production({ JWT_SECRET: value }));
      expect([value, problem]).toEqual([value, expect.stringMatching(reason)]);
      expect(problem).toContain('openssl rand -base64 48');
      expect(problem).not.toContain(value);
    }
    const config = loadConfig(production());
    expect(config.auth.mode).toBe('password'); // production defaults to real accounts
    expect(config.log.format).toBe('json');
  });

  it('accepts what `openssl rand` makes, in every form the docs suggest', () => {
    for (let i = 0; i < 4; i++) {
      for (const secret of [randomBytes(48).toString('base64'), randomBytes(32).toString('base64'), randomBytes(32).toString('hex')]) {
        expect([secret, problemsOf(production({ JWT_SECRET: secret, SECRETS_KEY: randomBytes(32).toString(i % 2 ? 'hex' : 'base64') }))]).toEqual([secret, []]);
      }
    }
  });

  it('does not judge secrets outside production', () => {
    expect(loadConfig({ JWT_SECRET: 'a'.repeat(48), SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') }).auth.jwtSecret).toBe('a'.repeat(48));
  });

  it('refuses a guessable SECRETS_KEY in production', () => {
    for (const key of [Buffer.alloc(32, 7).toString('base64'), '0'.repeat(64), 'ab'.repeat(32), Buffer.from('0123456789abcdef'.repeat(2)).toString('base64')]) {
      const problems = problemsOf(production({ SECRETS_KEY: key }));
      expect([key, problems]).toEqual([key, [expect.stringMatching(/^SECRETS_KEY: .*openssl rand -base64 32/)]]);
    }
    expect(loadConfig(production({ SECRETS_KEY: STRONG_SECRETS_KEY })).secretsKey).toHaveLength(32);
  });

  it('lists every production problem in one message', () => {
    const problems = problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'a'.repeat(48), SECRETS_KEY: '0'.repeat(64) });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['JWT_SECRET', 'SECRETS_KEY', 'METRICS_TOKEN']);
  });

  it('needs METRICS_TOKEN in production unless METRICS_PUBLIC=true', () => {
    expect(problemsOf(production({ METRICS_TOKEN: '' }))).toEqual([expect.stringMatching(/^METRICS_TOKEN: required in production.*METRICS_PUBLIC=true/)]);
    expect(loadConfig(production({ METRICS_TOKEN: '', METRICS_PUBLIC: 'true' })).metrics).toEqual({ token: undefined });
    expect(loadConfig({}).metrics).toEqual({ token: undefined }); // development: open, as before
    expect(() => loadConfig({ METRICS_PUBLIC: 'maybe' })).toThrow(/METRICS_PUBLIC/);
  });

  it('serves /docs unless DOCS_ENABLED=false', () => {
    expect(loadConfig({}).docs).toEqual({ enabled: true });
    expect(loadConfig(production()).docs).toEqual({ enabled: true });
    expect(loadConfig({ DOCS_ENABLED: 'false' }).docs).toEqual({ enabled: false });
    expect(loadConfig({ DOCS_ENABLED: '' }).docs).toEqual({ enabled: true });
  });

  it('REGISTRATION: open by default, closed by default in production with single sign-on, and as set', () => {
    const oidc = { OIDC_ISSUER: 'https://sso.example.com/realms/acme', OIDC_CLIENT_ID: 'texttune', OIDC_REDIRECT_URI: 'https://tt.example.com/v1/auth/oidc/callback' };
    expect(loadConfig({}).auth.registration).toBe('open');
    expect(loadConfig({ ...oidc }).auth.registration).toBe('open');
    expect(loadConfig(production()).auth.registration).toBe('open');
    expect(loadConfig(production(oidc)).auth.registration).toBe('closed');
    expect(loadConfig(production({ ...oidc, REGISTRATION: 'invite' })).auth.registration).toBe('invite');
    expect(loadConfig({ AUTH_MODE: 'password', REGISTRATION: 'closed' }).auth.registration).toBe('closed');
    expect(() => loadConfig({ REGISTRATION: 'sometimes' })).toThrow(/REGISTRATION/);
    // The quick email login makes an account for any address: no registration mode can hold it back.
    expect(() => loadConfig({ REGISTRATION: 'invite' })).toThrow(/REGISTRATION: "invite" needs AUTH_MODE=password/);
    expect(loadConfig({ REGISTRATION: 'open' }).auth.registration).toBe('open');
  });

  it('treats empty values as unset and parses lists', () => {
    const config = loadConfig({ PORT: '', ALLOW_ORIGIN: 'https://portal.example.com, https://b.example.com', ADMIN_EMAILS: 'A@X.com,b@y.com' });
    expect(config.http.port).toBe(4000);
    expect(config.http.allowOrigins).toEqual(['https://portal.example.com', 'https://b.example.com']);
    expect(config.auth.adminEmails).toEqual(['a@x.com', 'b@y.com']);
    expect(() => loadConfig({ ALLOW_ORIGIN: 'not a url' })).toThrow(/ALLOW_ORIGIN/);
  });

  it('limits password attempts per account: 10 per 15 minutes by default, 0 turns it off, nonsense is refused', () => {
    expect(loadConfig({}).auth.accountLockout).toEqual({ attempts: 10, windowMinutes: 15 });
    expect(loadConfig({ AUTH_ACCOUNT_LOCKOUT_ATTEMPTS: '0', AUTH_ACCOUNT_LOCKOUT_MINUTES: '60' }).auth.accountLockout).toEqual({ attempts: 0, windowMinutes: 60 });
    expect(() => loadConfig({ AUTH_ACCOUNT_LOCKOUT_ATTEMPTS: '-1' })).toThrow(/AUTH_ACCOUNT_LOCKOUT_ATTEMPTS/);
    expect(() => loadConfig({ AUTH_ACCOUNT_LOCKOUT_MINUTES: '0' })).toThrow(/AUTH_ACCOUNT_LOCKOUT_MINUTES/);
    expect(() => loadConfig({ AUTH_ACCOUNT_LOCKOUT_MINUTES: 'forever' })).toThrow(/AUTH_ACCOUNT_LOCKOUT_MINUTES/);
  });

  it('SOUNDFONT_PATH: a missing, a non-SoundFont or a truncated file stops the boot with one message naming it; a real bank passes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'soundfont-'));
    const bundled = defaultSoundFontPath();
    const truncated = path.join(dir, 'truncated.sf3');
    writeFileSync(truncated, readFileSync(bundled).subarray(0, 100_000));
    const text = path.join(dir, 'notes.sf2');
    writeFileSync(text, 'not a soundfont');
    const message = (file: string) => {
      try {
        loadConfig({ SOUNDFONT_PATH: file });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems;
      }
      return [];
    };
    expect(message(path.join(dir, 'absent.sf2'))).toEqual([expect.stringMatching(/^SOUNDFONT_PATH: .*absent\.sf2 does not exist or cannot be read; point it at an SF2\/SF3/)]);
    expect(message(text)).toEqual([expect.stringMatching(/^SOUNDFONT_PATH: .*notes\.sf2 is not an SF2\/SF3 SoundFont/)]);
    expect(message(truncated)).toEqual([expect.stringMatching(/^SOUNDFONT_PATH: .*truncated\.sf3 is truncated: its header declares \d+ bytes, the file has 100000/)]);
    expect(loadConfig({ SOUNDFONT_PATH: bundled }).offlineEngine.soundFontPath).toBe(bundled);
    expect(loadConfig({}).offlineEngine.soundFontPath).toBeUndefined();
    rmSync(dir, { recursive: true, force: true });
  });

  it('documents every variable it reads in .env.example', () => {
    const example = readFileSync(path.resolve(__dirname, '../../../../.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(CONFIG_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
  });
});
