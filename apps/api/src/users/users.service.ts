import { Inject, Injectable } from '@nestjs/common';
import type { MeResponse, UserRole } from '@texttune/contracts';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import type { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Accounts: their roles and the rules of creating and signing in to them. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  /** The account with this email (any case), with its password hash loaded. */
  findByEmailWithPassword(email: string): Promise<UserEntity | null> {
    return this.users.findByEmailWithPassword(normalizeEmail(email));
  }

  /** Whether ADMIN_EMAILS names this email (such accounts are always admins). */
  isConfiguredAdmin(email: string | null): boolean {
    return !!email && this.config.auth.adminEmails.includes(normalizeEmail(email));
  }

  /**
   * The role an account should have: admin when ADMIN_EMAILS names it; else the role an
   * admin set through the admin API; else the identity provider's verdict (its admin
   * group, when OIDC_ADMIN_GROUP is set and the sign-in is by OIDC); else user.
   */
  roleFor(email: string | null, override: UserRole | null = null, idpRole?: UserRole): UserRole {
    if (this.isConfiguredAdmin(email)) return 'admin';
    return override ?? idpRole ?? 'user';
  }

  async create(fields: { email: string | null; passwordHash?: string | null; isGuest?: boolean; displayName?: string | null; idpRole?: UserRole }): Promise<UserEntity> {
    return this.users.create({
      email: fields.email === null ? null : normalizeEmail(fields.email),
      passwordHash: fields.passwordHash ?? null,
      isGuest: fields.isGuest ?? false,
      displayName: fields.displayName ?? null,
      role: this.roleFor(fields.email, null, fields.idpRole),
    });
  }

  /** Deletes an account made a moment ago that turned out not to be needed (a lost race). */
  async remove(id: string): Promise<void> {
    await this.users.remove(id);
  }

  /** Keeps the name the identity provider reports. */
  async setDisplayName(user: UserEntity, displayName: string | null): Promise<UserEntity> {
    if (displayName !== user.displayName) {
      await this.users.setDisplayName(user.id, displayName);
      user.displayName = displayName;
    }
    return user;
  }

  async setPassword(user: UserEntity, passwordHash: string): Promise<UserEntity> {
    await this.users.setPasswordHash(user.id, passwordHash);
    return this.syncRole(user);
  }

  /** Keeps the stored role in step with ADMIN_EMAILS (and the provider's admin group) at each sign-in. */
  async syncRole(user: UserEntity, idpRole?: UserRole): Promise<UserEntity> {
    const role = this.roleFor(user.email, user.roleOverride, idpRole);
    if (role !== user.role) {
      await this.users.setRole(user.id, role);
      user.role = role;
    }
    return user;
  }

  static toMe(user: Pick<UserEntity, 'id' | 'email' | 'displayName' | 'role' | 'isGuest' | 'createdAt'>): MeResponse {
    return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, isGuest: user.isGuest, createdAt: user.createdAt.toISOString() };
  }
}
