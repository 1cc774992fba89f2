import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import type { AuthConfigResponse, AuthResponse } from '@texttune/contracts';
import * as argon2 from 'argon2';
import { IsNull, MoreThan, type Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { AuthUser, SessionTokenClaims } from './auth-user';
import { SessionEntity } from './session.entity';

/** Where a sign-in came from, recorded on the session. */
export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

const INVALID_CREDENTIALS = () => new ApiError(401, 'invalid_credentials', 'The email or password is not correct.');

// A hash to verify against when the account does not exist, so a wrong email takes as
// long as a wrong password (no account enumeration by timing).
const DUMMY_HASH = argon2.hash('texttune-timing-equaliser', { type: argon2.argon2id });

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  describe(): AuthConfigResponse {
    const open = this.config.auth.mode === 'open';
    return { mode: this.config.auth.mode, methods: { emailLogin: open, guest: open, password: true, register: true } };
  }

  /** The original quick email login: finds or creates the account. Open mode only. */
  async loginWithEmail(email: string, client: ClientInfo): Promise<AuthResponse> {
    this.requireOpenMode('Quick email login');
    const existing = await this.users.findByEmailWithPassword(email);
    if (existing?.passwordHash) {
      throw new ApiError(401, 'password_required', 'This account has a password: sign in with your email and password.');
    }
    const user = existing ? await this.users.syncRole(existing) : await this.users.create({ email });
    return this.openSession(user, client);
  }

  async loginWithPassword(email: string, password: string, client: ClientInfo): Promise<AuthResponse> {
    const user = await this.users.findByEmailWithPassword(email);
    if (!user?.passwordHash) {
      await argon2.verify(await DUMMY_HASH, password).catch(() => false);
      throw INVALID_CREDENTIALS();
    }
    if (!(await argon2.verify(user.passwordHash, password).catch(() => false))) throw INVALID_CREDENTIALS();
    return this.openSession(await this.users.syncRole(user), client);
  }

  async register(email: string, password: string, client: ClientInfo): Promise<AuthResponse> {
    const existing = await this.users.findByEmailWithPassword(email);
    if (existing) {
      // In open mode a passwordless account may claim a password once, by registering.
      if (existing.passwordHash || this.config.auth.mode !== 'open') {
        throw new ApiError(409, 'email_taken', 'An account with this email already exists; sign in instead.');
      }
    }
    const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
    const user = existing ? await this.users.setPassword(existing, passwordHash) : await this.users.create({ email, passwordHash });
    return this.openSession(user, client);
  }

  async guest(client: ClientInfo): Promise<AuthResponse> {
    this.requireOpenMode('Guest access');
    return this.openSession(await this.users.create({ email: null, isGuest: true }), client);
  }

  /** Revokes the session server-side: its token stops working at once. */
  async logout(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /**
   * Checks a verified token's session against the database: it must exist, be neither
   * revoked nor expired, and belong to an enabled account.
   */
  async validateSession(claims: SessionTokenClaims): Promise<AuthUser | null> {
    if (typeof claims.sid !== 'string' || typeof claims.sub !== 'string') return null;
    const session = await this.sessions.findOne({
      where: { id: claims.sid, userId: claims.sub, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      relations: { user: true },
    });
    const user = session?.user;
    if (!session || !user || user.disabledAt) return null;
    return { id: user.id, email: user.email, role: user.role, isGuest: user.isGuest, createdAt: user.createdAt, sessionId: session.id };
  }

  private requireOpenMode(what: string): void {
    if (this.config.auth.mode !== 'open') {
      throw new ApiError(401, 'auth_mode_disabled', `${what} is turned off on this server (AUTH_MODE=${this.config.auth.mode}); sign in with your email and password.`);
    }
  }

  private async openSession(user: UserEntity, client: ClientInfo): Promise<AuthResponse> {
    if (user.disabledAt) throw new ApiError(403, 'account_disabled', 'This account has been disabled; ask an administrator.');
    const expiresAt = new Date(Date.now() + this.config.auth.sessionTtlHours * 3600_000);
    const session = await this.sessions.save(
      this.sessions.create({ userId: user.id, expiresAt, ip: client.ip?.slice(0, 64) ?? null, userAgent: client.userAgent?.slice(0, 400) ?? null }),
    );
    const claims: SessionTokenClaims = { sub: user.id, sid: session.id };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.auth.sessionTtlHours * 3600 });
    return { user: UsersService.toMe(user), accessToken, expiresAt: expiresAt.toISOString() };
  }
}
