import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../config/app-config';
import { signWebhook, WebhookSecrets } from './webhook-secrets';

const config = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'a-jwt-secret-long-enough-for-tests-0123456789', ...env });
const SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

describe('webhook signatures', () => {
  it('verify with the official standardwebhooks library', () => {
    const secrets = new WebhookSecrets(config());
    const secret = secrets.generate();
    const body = JSON.stringify({ type: 'generation.succeeded', timestamp: '2026-01-01T00:00:00.000Z', data: { job: { job_id: 'x' } } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, 'msg_1', timestamp, body) };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(signWebhook(secret, 'msg_1', timestamp, body)).toBe(new Webhook(secret).sign('msg_1', new Date(timestamp * 1000), body));
    expect(() => new Webhook(secrets.generate()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
  });
});

describe('WebhookSecrets', () => {
  it('seals with SECRETS_KEY when set, bound to the endpoint', () => {
    const secrets = new WebhookSecrets(config({ SECRETS_KEY }));
    const secret = secrets.generate();
    const { sealed, keyId } = secrets.seal(secret, 'endpoint-a');
    expect(sealed.toString('latin1')).not.toContain(secret.slice(6));
    expect(secrets.open(sealed, keyId, 'endpoint-a')).toBe(secret);
    expect(() => secrets.open(sealed, keyId, 'endpoint-b')).toThrow(/cannot be decrypted/);
  });

  it('without SECRETS_KEY uses a key derived from JWT_SECRET, still readable once SECRETS_KEY is set, not after JWT_SECRET changes', () => {
    const derived = new WebhookSecrets(config());
    const secret = derived.generate();
    const { sealed, keyId } = derived.seal(secret, 'endpoint-a');
    expect(new WebhookSecrets(config({ SECRETS_KEY })).open(sealed, keyId, 'endpoint-a')).toBe(secret);
    expect(() => new WebhookSecrets(config({ JWT_SECRET: 'another-jwt-secret-long-enough-0123456789' })).open(sealed, keyId, 'endpoint-a')).toThrow(/rotate the secret/);
  });
});
