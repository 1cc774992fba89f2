import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { UserQuotaOverrides, UserRole } from '@texttune/contracts';
import type { Repository } from 'typeorm';
import { Sql } from '../database/sql';
import { UserEntity } from './user.entity';

/** An account as the admin pages show it: its row, its usage and how it signs in. */
export interface AdminUserRow {
  id: string;
  email: string | null;
  display_name: string | null;
  role: UserRole;
  role_override: UserRole | null;
  is_guest: boolean;
  disabled_at: Date | null;
  created_at: Date;
  quota_daily_seconds: number | null;
  quota_max_active_jobs: number | null;
  tracks: number;
  seconds_today: number;
  active_jobs: number;
  last_sign_in_at: Date | null;
  sso: string[];
}

/** What an admin's change of an account starts from (read locked). */
export type LockedUser = Pick<AdminUserRow, 'id' | 'email' | 'role' | 'role_override' | 'disabled_at' | 'quota_daily_seconds' | 'quota_max_active_jobs'>;

export interface NewUser {
  email: string | null;
  passwordHash: string | null;
  isGuest: boolean;
  displayName: string | null;
  role: UserRole;
}

/** One statement for a page of users with their usage (each count uses a per-user index). */
const ADMIN_USER_SELECT = `
  SELECT u.id, u.email, u.display_name, u.role, u.role_override, u.is_guest, u.disabled_at, u.created_at,
    u.quota_daily_seconds, u.quota_max_active_jobs,
    (SELECT count(*)::int FROM tracks t WHERE t.user_id = u.id) AS tracks,
    (SELECT coalesce(sum(g.requested_seconds), 0)::float FROM generations g
       WHERE g.user_id = u.id AND g.status NOT IN ('failed', 'canceled')
         AND g.created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS seconds_today,
    (SELECT count(*)::int FROM generations g WHERE g.user_id = u.id AND g.status IN ('queued', 'running')) AS active_jobs,
    (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS last_sign_in_at,
    ARRAY(SELECT DISTINCT i.issuer FROM user_identities i WHERE i.user_id = u.id ORDER BY 1) AS sso
  FROM users u`;

/** `%`, `_` and `\` match themselves in a LIKE pattern. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Accounts (`users`). */
@Injectable()
export class UserRepository {
  constructor(
    private readonly sql: Sql,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** The account with this (already normalised) email in any case, with its password hash loaded. */
  findByEmailWithPassword(email: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').addSelect('u.passwordHash').where('lower(u.email) = :email', { email }).getOne();
  }

  create(fields: NewUser): Promise<UserEntity> {
    return this.users.save(this.users.create(fields));
  }

  async remove(id: string, tx: Sql = this.sql): Promise<void> {
    await tx.run(`DELETE FROM users WHERE id = $1`, [id]);
  }

  async setDisplayName(id: string, displayName: string | null): Promise<void> {
    await this.users.update({ id }, { displayName });
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }

  /** The role kept in step with configuration at sign-in (an admin's choice stays in `role_override`). */
  async setRole(id: string, role: UserRole): Promise<void> {
    await this.users.update({ id }, { role });
  }

  /** An admin's choice of role: the role and the override that keeps it across sign-ins. */
  async assignRole(id: string, role: UserRole, tx: Sql = this.sql): Promise<void> {
    await tx.run(`UPDATE users SET role = $2, role_override = $2, updated_at = now() WHERE id = $1`, [id, role]);
  }

  async disable(id: string, tx: Sql = this.sql): Promise<void> {
    await tx.run(`UPDATE users SET disabled_at = now(), updated_at = now() WHERE id = $1`, [id]);
  }

  async enable(id: string, tx: Sql = this.sql): Promise<void> {
    await tx.run(`UPDATE users SET disabled_at = NULL, updated_at = now() WHERE id = $1`, [id]);
  }

  async setQuota(id: string, quota: UserQuotaOverrides, tx: Sql = this.sql): Promise<void> {
    await tx.run(`UPDATE users SET quota_daily_seconds = $2, quota_max_active_jobs = $3, updated_at = now() WHERE id = $1`, [id, quota.dailySeconds, quota.maxActiveJobs]);
  }

  /** The account, locked against other changes until `tx` ends; undefined when there is none. */
  lockForChange(id: string, tx: Sql): Promise<LockedUser | undefined> {
    return tx.one<LockedUser>(`SELECT id, email, role, role_override, disabled_at, quota_daily_seconds, quota_max_active_jobs FROM users WHERE id = $1 FOR UPDATE`, [id]);
  }

  adminView(id: string, tx: Sql = this.sql): Promise<AdminUserRow | undefined> {
    return tx.one<AdminUserRow>(`${ADMIN_USER_SELECT} WHERE u.id = $1`, [id]);
  }

  /** Newest first, after the keyset `after`; `q` matches email or name (as text, not a pattern). */
  adminPage(query: { q?: string; after?: { createdAt: Date; id: string } | null; limit: number }): Promise<AdminUserRow[]> {
    const values: unknown[] = [];
    const where: string[] = [];
    if (query.q) {
      values.push(likePattern(query.q));
      where.push(`(u.email ILIKE $${values.length} OR u.display_name ILIKE $${values.length})`);
    }
    if (query.after) {
      values.push(query.after.createdAt, query.after.id);
      where.push(`(u.created_at, u.id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(query.limit);
    return this.sql.rows<AdminUserRow>(`${ADMIN_USER_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY u.created_at DESC, u.id DESC LIMIT $${values.length}`, values);
  }

  /** The emails of these accounts, by id (a missing account is missing from the map). */
  async emailsOf(ids: readonly string[]): Promise<Map<string, string | null>> {
    const rows = await this.sql.rows<{ id: string; email: string | null }>(`SELECT id, email FROM users WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((row) => [row.id, row.email]));
  }
}
