import { Inject, Injectable } from '@nestjs/common';
import { hkdfSync } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { SecretBox, SecretDecryptError } from '../common/secret-box';

/**
 * Seals the stored responses of `@Idempotent({ sealResponse: true })` routes, whose answer
 * holds a secret shown once (a webhook's signing secret): the replay must give it again,
 * and the `idempotency_keys` table must not hold it in clear. AES-256-GCM with
 * SECRETS_KEY when set, else a key derived from JWT_SECRET; the account and key are the
 * associated data, so a sealed response opens only for the request it answered.
 */
@Injectable()
export class ResponseSealer {
  private readonly box: SecretBox;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.box = new SecretBox(config.secretsKey ?? Buffer.from(hkdfSync('sha256', config.auth.jwtSecret, 'texttune', 'texttune idempotent responses', 32)));
  }

  seal(json: string, userId: string, key: string): string {
    return this.box.seal(json, `${userId}\n${key}`).toString('base64');
  }

  /** The JSON text, or null when it was sealed under a server key that has since changed. */
  open(sealed: string, userId: string, key: string): string | null {
    try {
      return this.box.open(Buffer.from(sealed, 'base64'), `${userId}\n${key}`);
    } catch (error) {
      if (error instanceof SecretDecryptError) return null;
      throw error;
    }
  }
}
