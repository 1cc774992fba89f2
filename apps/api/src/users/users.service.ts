import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { MeResponse, UserRole } from '@texttune/contracts';
import type { Repository } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { UserEntity } from './user.entity';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Accounts. Other modules use this service, never the repository. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** The account with this email (any case), with its password hash loaded. */
  findByEmailWithPassword(email: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = :email', { email: normalizeEmail(email) })
      .getOne();
  }

  /** Admins are named by ADMIN_EMAILS; everyone else is a user. */
  roleFor(email: string | null): UserRole {
    return email && this.config.auth.adminEmails.includes(normalizeEmail(email)) ? 'admin' : 'user';
  }

  async create(fields: { email: string | null; passwordHash?: string | null; isGuest?: boolean }): Promise<UserEntity> {
    const user = this.users.create({
      email: fields.email === null ? null : normalizeEmail(fields.email),
      passwordHash: fields.passwordHash ?? null,
      isGuest: fields.isGuest ?? false,
      role: this.roleFor(fields.email),
    });
    return this.users.save(user);
  }

  async setPassword(user: UserEntity, passwordHash: string): Promise<UserEntity> {
    await this.users.update({ id: user.id }, { passwordHash });
    return this.syncRole(user);
  }

  /** Keeps the stored role in step with ADMIN_EMAILS at each sign-in. */
  async syncRole(user: UserEntity): Promise<UserEntity> {
    const role = this.roleFor(user.email);
    if (role !== user.role) {
      await this.users.update({ id: user.id }, { role });
      user.role = role;
    }
    return user;
  }

  static toMe(user: Pick<UserEntity, 'id' | 'email' | 'role' | 'isGuest' | 'createdAt'>): MeResponse {
    return { id: user.id, email: user.email, role: user.role, isGuest: user.isGuest, createdAt: user.createdAt.toISOString() };
  }
}
