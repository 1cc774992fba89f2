import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, DEV_JWT_SECRET, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working defaults for local use', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      role: 'all',
      http: { port: 4000, allowOrigins: [] },
      auth: { mode: 'open', jwtSecret: DEV_JWT_SECRET },
      generation: { maxDurationSeconds: 12 },
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

  it('refuses the default or a short JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: must be set/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/at least 32/);
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    expect(config.auth.mode).toBe('password'); // production defaults to real accounts
    expect(config.log.format).toBe('json');
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

  it('documents every variable it reads in .env.example', () => {
    const example = readFileSync(path.resolve(__dirname, '../../../../.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(CONFIG_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
  });
});
