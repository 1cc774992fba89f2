import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Sql } from '../database/sql';
import { InviteEntity } from './invite.entity';

/** The conditions under which a code may create the account of email $2. */
const USABLE = `code_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now() AND (email IS NULL OR email = $2)`;

/** One-time sign-up invites (`invites`), known by the SHA-256 of their code. */
@Injectable()
export class InviteRepository {
  constructor(
    private readonly sql: Sql,
    @InjectRepository(InviteEntity) private readonly invites: Repository<InviteEntity>,
  ) {}

  /** A new invite valid for exactly `expiresInHours` from the moment the row records as its creation. */
  async create(fields: { codeHash: Buffer; email: string | null; createdBy: string | null; expiresInHours: number }, tx: Sql = this.sql): Promise<InviteEntity> {
    const row = await tx.one<{ id: string }>(
      `INSERT INTO invites (code_hash, email, created_by, expires_at) VALUES ($1, $2, $3, date_trunc('milliseconds', now()) + make_interval(hours => $4)) RETURNING id`,
      [fields.codeHash, fields.email, fields.createdBy, fields.expiresInHours],
    );
    const invites = tx.manager?.getRepository(InviteEntity) ?? this.invites;
    return invites.findOneByOrFail({ id: row!.id });
  }

  /** The newest `limit` invites. */
  newest(limit: number): Promise<InviteEntity[]> {
    return this.invites.find({ order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** Revokes an unused invite; false when there is none to revoke. */
  async revoke(id: string, tx: Sql = this.sql): Promise<boolean> {
    return (await tx.run(`UPDATE invites SET revoked_at = now() WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [id])) > 0;
  }

  /** Whether the code could create the account `email` now (nothing is used up). */
  async usable(codeHash: Buffer, email: string): Promise<boolean> {
    return (await this.sql.one(`SELECT 1 FROM invites WHERE ${USABLE}`, [codeHash, email])) !== undefined;
  }

  /** Uses the invite up for `email` in one statement (of two sign-ups with one code, one wins); its id, or undefined. */
  async claim(codeHash: Buffer, email: string): Promise<string | undefined> {
    return (await this.sql.one<{ id: string }>(`UPDATE invites SET used_at = now() WHERE ${USABLE} RETURNING id`, [codeHash, email]))?.id;
  }

  /** Gives a claimed invite back (the account could not be made after all). */
  async release(id: string): Promise<void> {
    await this.invites.update({ id }, { usedAt: null, usedBy: null });
  }

  async markUsedBy(id: string, userId: string): Promise<void> {
    await this.invites.update({ id }, { usedBy: userId });
  }
}
