import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AdminInvite } from '@texttune/contracts';
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager, Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/cursor';
import { InviteEntity } from './invite.entity';
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
  constructor(@InjectRepository(InviteEntity) private readonly invites: Repository<InviteEntity>) {}

  /** A new invite and its code; written with `manager` (an admin's audited transaction). */
  async create(manager: EntityManager, fields: { createdBy: string | null; email?: string; expiresInHours: number }): Promise<{ invite: InviteEntity; code: string }> {
    const code = `tti_${randomBytes(24).toString('base64url')}`;
    // Valid for exactly the hours asked, from the moment the row records as its creation.
    const [{ id }] = (await manager.query(
      `INSERT INTO invites (code_hash, email, created_by, expires_at) VALUES ($1, $2, $3, date_trunc('milliseconds', now()) + make_interval(hours => $4)) RETURNING id`,
      [hashInviteCode(code), fields.email ? normalizeEmail(fields.email) : null, fields.createdBy, fields.expiresInHours],
    )) as { id: string }[];
    return { invite: await manager.getRepository(InviteEntity).findOneByOrFail({ id }), code };
  }

  list(): Promise<InviteEntity[]> {
    return this.invites.find({ order: { createdAt: 'DESC', id: 'DESC' }, take: INVITE_LIST_MAX });
  }

  /** Revokes an unused invite; false when there is none to revoke. */
  async revoke(manager: EntityManager, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const [, affected] = (await manager.query(`UPDATE invites SET revoked_at = now() WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [id])) as [unknown, number];
    return affected > 0;
  }

  /** Whether `code` could create the account `email` now (a look only: nothing is used up). */
  async usable(code: string, email: string): Promise<boolean> {
    const rows = (await this.invites.query(
      `SELECT 1 FROM invites WHERE code_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now() AND (email IS NULL OR email = $2)`,
      [hashInviteCode(code), normalizeEmail(email)],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * Uses up the invite for `email` in one statement (two sign-ups with one code: one
   * wins); its id, or the 403 `invite_invalid`. {@link release} gives it back when the
   * account could not be made after all.
   */
  async claim(code: string, email: string): Promise<string> {
    const [rows] = (await this.invites.query(
      `UPDATE invites SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now() AND (email IS NULL OR email = $2) RETURNING id`,
      [hashInviteCode(code), normalizeEmail(email)],
    )) as [{ id: string }[], number];
    if (!rows[0]) throw inviteInvalid();
    return rows[0].id;
  }

  async release(id: string): Promise<void> {
    await this.invites.update({ id }, { usedAt: null, usedBy: null });
  }

  async markUsedBy(id: string, userId: string): Promise<void> {
    await this.invites.update({ id }, { usedBy: userId });
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
