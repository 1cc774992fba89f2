import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../common/uuid';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

export type ShareKind = 'track' | 'playlist';

/**
 * Tokens of share links: `<share id>.<expiry, base 36 ms>.<signature>`. The signature
 * (HMAC-SHA256 over the kind, id and expiry, keyed from JWT_SECRET) lets a forged,
 * altered, expired or other-kind token be refused without a database look-up; the
 * share's row keeps links revocable. Rotating JWT_SECRET ends every link.
 */
@Injectable()
export class ShareSigner {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = createHash('sha256').update(`texttune share links\0${config.auth.jwtSecret}`).digest();
  }

  private sign(kind: ShareKind, id: string, expiresMs: number): string {
    return createHmac('sha256', this.key).update(`${kind}:${id}.${expiresMs}`).digest('base64url');
  }

  token(kind: ShareKind, id: string, expiresAt: Date): string {
    const expiresMs = expiresAt.getTime();
    return `${id}.${expiresMs.toString(36)}.${this.sign(kind, id, expiresMs)}`;
  }

  /** The share id and expiry a genuine, unexpired token names; null for anything else. */
  verify(kind: ShareKind, token: string): { id: string; expiresMs: number } | null {
    const [id, expiry, signature, ...rest] = token.split('.');
    if (rest.length || !id || !signature || !isUuid(id) || !/^[0-9a-z]{1,12}$/.test(expiry ?? '')) return null;
    const expiresMs = parseInt(expiry, 36);
    if (expiresMs <= Date.now()) return null;
    const expected = Buffer.from(this.sign(kind, id, expiresMs));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? { id, expiresMs } : null;
  }
}
