import { Injectable } from '@nestjs/common';
import type { AdminInvite } from '@texttune/contracts';
import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/uuid';
import type { Sql } from '../database/sql';
import type { InviteEntity } from './invite.entity';
import { InviteRepository } from './invite.repository';
import { normalizeEmail } from './users.service';

/** How many invites `GET /v1/admin/invites` lists (newest first). */
const INVITE_LIST_MAX = 200;

const hashInviteCode = (code: string): Buffer => createHash('sha256').update(code.trim(), 'utf8').digest();

export const inviteInvalid = () =>
  new ApiError(403, 'invite_invalid', 'This invite code is not valid: it may have expired, been used or revoked, or be meant for another email address. Ask an administrator for a new one.');

/**
 * Invites: one-time codes that let one person create a password account while
 * REGISTRATION=invite. A code is `tti_` + 24 random bytes (base64url), shown once; only
 * its SHA-256 is kept (a 192-bit random code needs no slow hash).
 */
@Injectable()
export class InvitesService {
  constructor(private readonly invites: InviteRepository) {}

  /** A new invite and its code, valid for exactly the hours asked; written in `tx` (an admin's audited transaction). */
  async create(tx: Sql, fields: { createdBy: string | null; email?: string; expiresInHours: number }): Promise<{ invite: InviteEntity; code: string }> {
    const code = `tti_${randomBytes(24).toString('base64url')}`;
    const invite = await this.invites.create({ codeHash: hashInviteCode(code), email: fields.email ? normalizeEmail(fields.email) : null, createdBy: fields.createdBy, expiresInHours: fields.expiresInHours }, tx);
    return { invite, code };
  }

  list(): Promise<InviteEntity[]> {
    return this.invites.newest(INVITE_LIST_MAX);
  }

  /** Revokes an unused invite in `tx`; false when there is none to revoke. */
  async revoke(tx: Sql, id: string): Promise<boolean> {
    return isUuid(id) && this.invites.revoke(id, tx);
  }

  /** Whether `code` could create the account `email` now (a look only: nothing is used up). */
  usable(code: string, email: string): Promise<boolean> {
    return this.invites.usable(hashInviteCode(code), normalizeEmail(email));
  }

  /**
   * Uses up the invite for `email` in one statement (two sign-ups with one code: one
   * wins); its id, or the 403 `invite_invalid`. {@link release} gives it back when the
   * account could not be made after all.
   */
  async claim(code: string, email: string): Promise<string> {
    const id = await this.invites.claim(hashInviteCode(code), normalizeEmail(email));
    if (!id) throw inviteInvalid();
    return id;
  }

  release(id: string): Promise<void> {
    return this.invites.release(id);
  }

  markUsedBy(id: string, userId: string): Promise<void> {
    return this.invites.markUsedBy(id, userId);
  }

  static toResponse(invite: InviteEntity, code?: string): AdminInvite {
    return {
      id: invite.id,
      email: invite.email,
      createdAt: invite.createdAt.toISOString(),
      expiresAt: invite.expiresAt.toISOString(),
      usedAt: invite.usedAt?.toISOString() ?? null,
      usedBy: invite.usedBy,
      revokedAt: invite.revokedAt?.toISOString() ?? null,
      createdBy: invite.createdBy,
      ...(code ? { code, url: `/signin?invite=${encodeURIComponent(code)}` } : {}),
    };
  }
}
