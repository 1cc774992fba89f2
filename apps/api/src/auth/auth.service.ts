import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AuthConfigResponse, AuthResponse, LogoutResponse } from '@texttune/contracts';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/uuid';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { UserEntity } from '../users/user.entity';
import { InvitesService, inviteInvalid } from '../users/invites.service';
import { UsersService } from '../users/users.service';
import { AuthCache, callerFromRow } from './auth-cache';
import type { Authenticated, AuthUser, SessionTokenClaims } from './auth-user';
import { hashPassword, verifyPassword } from './password-hash';
import { assertStrongPassword } from './password-policy';
import type { OwnedTarget } from './owned-lookup';
import { OidcService } from './oidc/oidc.service';
import { UserIdentityRepository } from './oidc/user-identity.repository';
import { SessionRepository } from './session.repository';
import { AccountSignInThrottle } from './sign-in-throttle';

/** Where a sign-in came from, recorded on the session. */
export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

const INVALID_CREDENTIALS = () => new ApiError(401, 'invalid_credentials', 'The email or password is not correct.');

// A hash to verify against when the account does not exist, so a wrong email takes as
// long as a wrong password (no account enumeration by timing).
const DUMMY_HASH = hashPassword('texttune-timing-equaliser');

@Injectable()
export class AuthService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly identities: UserIdentityRepository,
    private readonly users: UsersService,
    private readonly invites: InvitesService,
    private readonly oidc: OidcService,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: AuthCache,
    private readonly accountThrottle: AccountSignInThrottle,
  ) {}

  describe(): AuthConfigResponse {
    const { mode } = this.config.auth;
    const open = mode === 'open';
    const oidc = this.oidc.info();
    // Single sign-on only: nobody signs up here, whatever REGISTRATION says.
    const registration = mode === 'oidc' ? 'closed' : this.config.auth.registration;
    return { mode, registration, methods: { emailLogin: open, guest: open, password: mode !== 'oidc', register: registration !== 'closed', oidc: !!oidc }, oidc };
  }

  /** The original quick email login: finds or creates the account. Open mode only. */
  async loginWithEmail(email: string, client: ClientInfo): Promise<AuthResponse> {
    this.requireOpenMode('Quick email login');
    const existing = await this.users.findByEmailWithPassword(email);
    if (existing?.passwordHash) {
      throw new ApiError(401, 'password_required', 'This account has a password: sign in with your email and password.');
    }
    if (existing && (await this.hasSsoIdentity(existing.id))) throw this.ssoRequired(401);
    const user = existing ? await this.users.syncRole(existing) : await this.users.create({ email });
    return this.openSession(user, client);
  }

  async loginWithPassword(email: string, password: string, client: ClientInfo): Promise<AuthResponse> {
    this.refuseInOidcMode('Password sign-in');
    await this.accountThrottle.admit(email);
    const user = await this.users.findByEmailWithPassword(email);
    if (!user?.passwordHash) {
      await verifyPassword(await DUMMY_HASH, password);
      throw INVALID_CREDENTIALS();
    }
    if (!(await verifyPassword(user.passwordHash, password))) throw INVALID_CREDENTIALS();
    await this.accountThrottle.succeeded(email);
    return this.openSession(await this.users.syncRole(user), client);
  }

  /**
   * Self sign-up with a password, as REGISTRATION allows: anyone (`open`), with an
   * admin's invite code (`invite`; used up by the account it creates), or nobody
   * (`closed`). The password must pass the policy (password-policy.ts).
   */
  async register(email: string, password: string, client: ClientInfo, invite?: string): Promise<AuthResponse> {
    this.refuseInOidcMode('Registration');
    const { registration } = this.config.auth;
    if (registration === 'closed') {
      throw new ApiError(403, 'registration_closed', 'This server does not let people create their own accounts (REGISTRATION=closed); ask an administrator for access.');
    }
    if (registration === 'invite') {
      if (!invite) throw new ApiError(403, 'invite_required', 'Creating an account on this server needs an invite code (REGISTRATION=invite); ask an administrator for one.');
      if (!(await this.invites.usable(invite, email))) throw inviteInvalid();
    }
    assertStrongPassword(password, email);
    const existing = await this.users.findByEmailWithPassword(email);
    if (existing) {
      // In open mode a passwordless account may claim a password once, by registering.
      if (existing.passwordHash || this.config.auth.mode !== 'open') {
        throw new ApiError(409, 'email_taken', 'An account with this email already exists; sign in instead.');
      }
      // ...but not one that signs in with single sign-on.
      if (await this.hasSsoIdentity(existing.id)) throw this.ssoRequired(409);
    }
    const passwordHash = await hashPassword(password);
    const inviteId = registration === 'invite' && invite ? await this.invites.claim(invite, email) : null;
    let user: UserEntity;
    try {
      user = existing ? await this.users.setPassword(existing, passwordHash) : await this.users.create({ email, passwordHash });
    } catch (error) {
      if (inviteId) await this.invites.release(inviteId);
      throw error;
    }
    if (inviteId) await this.invites.markUsedBy(inviteId, user.id);
    return this.openSession(user, client);
  }

  async guest(client: ClientInfo): Promise<AuthResponse> {
    this.requireOpenMode('Guest access');
    return this.openSession(await this.users.create({ email: null, isGuest: true }), client);
  }

  /**
   * Revokes the session server-side: its token stops working at once. For a single
   * sign-on session, also the provider's sign-out URL (when it has one) for the browser.
   * (A request authenticated by an API token has no session: nothing to end.)
   */
  async logout(user: AuthUser): Promise<LogoutResponse> {
    if (!user.sessionId) return { redirectUrl: null };
    const idToken = (await this.sessions.revoke(user.sessionId))?.idToken;
    return { redirectUrl: idToken ? await this.oidc.endSessionUrl(idToken) : null };
  }

  /**
   * Checks a verified token's session against the database, or what {@link AuthCache}
   * kept of it: it must exist, be neither revoked nor expired, and belong to an enabled
   * account. Also reads the route's `target` resource, when it has one, in the same
   * statement (see owned-lookup.ts).
   */
  async validateSession(claims: SessionTokenClaims, target?: OwnedTarget): Promise<Authenticated | null> {
    if (typeof claims.sid !== 'string' || typeof claims.sub !== 'string' || !isUuid(claims.sid) || !isUuid(claims.sub)) return null;
    return this.cache.authenticate(`session:${claims.sid}:${claims.sub}`, target, async () => {
      const row = await this.sessions.liveCaller(claims.sid, claims.sub, target);
      return row ? callerFromRow(row, { sessionId: claims.sid }, target) : null;
    });
  }

  private requireOpenMode(what: string): void {
    if (this.config.auth.mode !== 'open') {
      const instead = this.config.auth.mode === 'oidc' ? `sign in with ${this.oidc.info()?.providerName ?? 'single sign-on'}` : 'sign in with your email and password';
      throw new ApiError(401, 'auth_mode_disabled', `${what} is turned off on this server (AUTH_MODE=${this.config.auth.mode}); ${instead}.`);
    }
  }

  private refuseInOidcMode(what: string): void {
    if (this.config.auth.mode === 'oidc') {
      throw new ApiError(401, 'auth_mode_disabled', `${what} is turned off on this server (AUTH_MODE=oidc); sign in with ${this.oidc.info()?.providerName ?? 'single sign-on'}.`);
    }
  }

  private hasSsoIdentity(userId: string): Promise<boolean> {
    return this.identities.anyFor(userId);
  }

  private ssoRequired(status: 401 | 409): ApiError {
    return new ApiError(status, 'sso_required', `This account signs in with ${this.oidc.info()?.providerName ?? 'single sign-on'}.`);
  }

  /** Opens a server-side session for the account and signs its token (also used by single sign-on). */
  async openSession(user: UserEntity, client: ClientInfo, extras: { idToken?: string } = {}): Promise<AuthResponse> {
    if (user.disabledAt) throw new ApiError(403, 'account_disabled', 'This account has been disabled; ask an administrator.');
    const expiresAt = new Date(Date.now() + this.config.auth.sessionTtlHours * 3600_000);
    const session = await this.sessions.open({
      userId: user.id,
      expiresAt,
      ip: client.ip?.slice(0, 64) ?? null,
      userAgent: client.userAgent?.slice(0, 400) ?? null,
      idToken: extras.idToken ?? null,
    });
    const claims: SessionTokenClaims = { sub: user.id, sid: session.id };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.auth.sessionTtlHours * 3600 });
    return { user: UsersService.toMe(user), accessToken, expiresAt: expiresAt.toISOString() };
  }
}
