import { Inject, Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { SecretBox, SecretDecryptError } from '../common/secret-box';

const SECRET_PREFIX = 'whsec_';
/** 24 bytes: within the 24–64 the Standard Webhooks libraries accept. */
const SECRET_BYTES = 24;

/** A secret sealed for storage, and the id of the key that sealed it. */
export interface SealedSecret {
  sealed: Buffer;
  keyId: string;
}

/**
 * Endpoints' signing secrets. Signing needs them in clear, so they are sealed at rest with
 * the project's SecretBox (AES-256-GCM, the endpoint id as associated data): with
 * SECRETS_KEY when it is set, else with a key derived from JWT_SECRET by HKDF, so webhooks
 * work on an installation without SECRETS_KEY. Both keys are kept to open with: a secret
 * sealed before SECRETS_KEY was set still opens; one sealed under a JWT_SECRET since
 * rotated does not, and its owner rotates it.
 */
@Injectable()
export class WebhookSecrets {
  private readonly sealer: SecretBox;
  private readonly openers = new Map<string, SecretBox>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const derived = new SecretBox(Buffer.from(hkdfSync('sha256', config.auth.jwtSecret, 'texttune', 'texttune webhook secrets', 32)));
    this.sealer = config.secretsKey ? new SecretBox(config.secretsKey) : derived;
    this.openers.set(derived.keyId, derived);
    this.openers.set(this.sealer.keyId, this.sealer);
  }

  /** A new `whsec_<base64>` secret. */
  generate(): string {
    return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
  }

  seal(secret: string, endpointId: string): SealedSecret {
    return { sealed: this.sealer.seal(secret, endpointId), keyId: this.sealer.keyId };
  }

  /** The secret in clear, or an error whose message says what the owner can do. */
  open(sealed: Buffer, keyId: string, endpointId: string): string {
    const box = this.openers.get(keyId);
    if (!box) throw new SecretDecryptError("The endpoint's signing secret was sealed under a server key that has since changed, so deliveries cannot be signed: rotate the secret (POST /v1/webhooks/:id/rotate-secret).");
    try {
      return box.open(sealed, endpointId);
    } catch {
      throw new SecretDecryptError("The endpoint's signing secret cannot be decrypted (damaged or altered), so deliveries cannot be signed: rotate the secret.");
    }
  }
}

/**
 * The Standard Webhooks signature header value: `v1,` and the base64 HMAC-SHA256, keyed
 * with the secret's decoded bytes, of `<id>.<timestamp seconds>.<body>`.
 */
export function signWebhook(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
}
