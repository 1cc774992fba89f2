import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OidcErrorReason, OidcSignInInfo, UserRole } from '@texttune/contracts';
import type * as OpenIdClient from 'openid-client';
import type { AppConfig, OidcConfig } from '../../config/app-config';
import { uniqueViolation } from '../../common/database-conflict';
import { APP_CONFIG } from '../../config/config.module';
import type { UserEntity } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { sealFlow, unsealFlow, type OidcFlow } from './flow-cookie';
import { UserIdentityRepository } from './user-identity.repository';

type Client = typeof OpenIdClient;

/**
 * openid-client is ESM-only: loaded on first use (Node 20.19+ requires ESM), so a server
 * without single sign-on never loads it.
 */
const loadClient = (): Promise<Client> => import('openid-client');

/** Provider metadata is discovered on the first sign-in and refreshed at most this often. */
const DISCOVERY_TTL_MS = 60 * 60_000;
const HTTP_TIMEOUT_SECONDS = 10;

export const OIDC_LOGIN_PATH = '/v1/auth/oidc/login';

/** A failed sign-in: the browser lands on the sign-in page with `reason`; no session is made. */
export class OidcFailure extends Error {
  constructor(
    readonly reason: OidcErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OidcFailure';
  }
}

/** What the provider vouched for about the person signing in. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  /** from OIDC_ADMIN_GROUP; undefined when no admin group is configured */
  idpRole?: UserRole;
  idToken: string;
}

/**
 * OpenID Connect single sign-on with openid-client (certified): discovery, the
 * authorization-code flow with PKCE (S256), state and nonce, ID token validation
 * (signature, issuer, audience, expiry, nonce) by the library, userinfo for claims the
 * ID token lacks, and accounts matched by issuer + subject.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('OIDC');
  private discovered?: { at: number; config: Promise<OpenIdClient.Configuration> };

  constructor(
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
    private readonly identities: UserIdentityRepository,
    private readonly users: UsersService,
  ) {}

  get settings(): OidcConfig | null {
    return this.appConfig.auth.oidc;
  }

  info(): OidcSignInInfo | null {
    const settings = this.settings;
    return settings ? { providerName: settings.providerName, loginUrl: OIDC_LOGIN_PATH } : null;
  }

  /** Starts a sign-in: the provider URL to redirect to, and the sealed flow for the browser's cookie. */
  async start(returnUrl: string): Promise<{ url: string; cookie: string }> {
    const settings = this.require();
    const [client, config] = await Promise.all([loadClient(), this.configuration()]);
    const flow: OidcFlow = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier(), returnUrl, startedAt: Date.now() };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUri,
      scope: settings.scopes,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, cookie: sealFlow(flow, this.appConfig.auth.jwtSecret) };
  }

  /** The return URL sealed in a flow cookie (to keep it across a failure), or undefined. */
  returnUrlOf(cookie: string | undefined): string | undefined {
    return unsealFlow(cookie, this.appConfig.auth.jwtSecret)?.returnUrl;
  }

  /**
   * Completes a sign-in from the provider's redirect: checks the browser's flow and the
   * state, exchanges the code (with the PKCE verifier), validates the ID token (nonce
   * included) and gathers the claims.
   */
  async finish(search: string, cookie: string | undefined): Promise<OidcIdentity & { returnUrl: string }> {
    const settings = this.require();
    const flow = unsealFlow(cookie, this.appConfig.auth.jwtSecret);
    if (!flow) throw new OidcFailure('oidc_session_expired', 'no valid sign-in flow cookie (expired, missing, or from another browser)');
    const params = new URLSearchParams(search);
    if (params.get('state') !== flow.state) throw new OidcFailure('oidc_state_mismatch', 'the state of the response is not the one this browser sent');
    const client = await loadClient();
    const config = await this.configuration();
    const currentUrl = new URL(settings.redirectUri);
    currentUrl.search = params.toString();

    let tokens: Awaited<ReturnType<Client['authorizationCodeGrant']>>;
    try {
      tokens = await client.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
    } catch (error) {
      throw this.failure(client, error);
    }
    const idClaims = tokens.claims();
    const idToken = tokens.id_token;
    if (!idClaims || !idToken) throw new OidcFailure('oidc_token_invalid', 'the token response has no ID token');
    let claims: Record<string, unknown> = { ...idClaims };
    const wantGroups = !!settings.adminGroup && claims[settings.groupsClaim] === undefined;
    if ((claims.email === undefined || claims.name === undefined || wantGroups) && tokens.access_token && config.serverMetadata().userinfo_endpoint) {
      try {
        const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...userinfo, ...claims };
      } catch (error) {
        throw this.failure(client, error);
      }
    }
    return { ...this.identityFrom(config.serverMetadata().issuer, claims, idToken), returnUrl: flow.returnUrl };
  }

  /**
   * The account for a provider identity: the one linked to issuer + subject; else an
   * account with the same email, linked now only if the provider verified that email;
   * else a new account. Disabled accounts are refused. Name and role are refreshed.
   */
  async accountFor(identity: OidcIdentity): Promise<UserEntity> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.linkOrCreate(identity);
      } catch (error) {
        // Two first sign-ins of the same person at once: the loser finds the winner's rows.
        if (attempt === 0 && uniqueViolation(error)) continue;
        throw error;
      }
    }
  }

  private async linkOrCreate(identity: OidcIdentity): Promise<UserEntity> {
    const { issuer, subject } = identity;
    const linked = await this.identities.find(issuer, subject);
    let user: UserEntity | null = linked ? await this.users.findById(linked.userId) : null;
    if (linked && user) {
      if (user.disabledAt) throw new OidcFailure('oidc_account_disabled', `the account ${user.id} is disabled`);
      await this.identities.signedIn(linked.id, identity.email);
    } else {
      const existing = identity.email ? await this.users.findByEmailWithPassword(identity.email) : null;
      if (existing && !identity.emailVerified) {
        throw new OidcFailure('oidc_email_conflict', `an account with ${identity.email} exists and the provider did not verify the email (email_verified)`);
      }
      if (existing?.disabledAt) throw new OidcFailure('oidc_account_disabled', `the account ${existing.id} is disabled`);
      user = existing ?? (await this.users.create({ email: identity.email, displayName: identity.name, idpRole: identity.idpRole }));
      try {
        await this.identities.link({ userId: user.id, issuer, subject, email: identity.email });
      } catch (error) {
        if (!existing) await this.users.remove(user.id);
        throw error;
      }
    }
    await this.users.setDisplayName(user, identity.name ?? user.displayName);
    return this.users.syncRole(user, identity.idpRole);
  }

  /** The provider's sign-out URL for a session's ID token, or null when it has none (or is unreachable). */
  async endSessionUrl(idToken: string): Promise<string | null> {
    const settings = this.settings;
    if (!settings) return null;
    try {
      const [client, config] = await Promise.all([loadClient(), this.configuration()]);
      if (!config.serverMetadata().end_session_endpoint) return null;
      const params: Record<string, string> = { id_token_hint: idToken, client_id: settings.clientId };
      if (settings.postLogoutRedirectUri) params.post_logout_redirect_uri = settings.postLogoutRedirectUri;
      return client.buildEndSessionUrl(config, params).href;
    } catch (error) {
      this.logger.warn(`no provider sign-out URL: ${(error as Error).message}`);
      return null;
    }
  }

  private require(): OidcConfig {
    const settings = this.settings;
    if (!settings) throw new OidcFailure('oidc_disabled', 'single sign-on is not configured (OIDC_ISSUER)');
    return settings;
  }

  /** The provider's configuration, discovered once (again after an hour); a failure is not kept. */
  private configuration(): Promise<OpenIdClient.Configuration> {
    if (!this.discovered || Date.now() - this.discovered.at > DISCOVERY_TTL_MS) {
      const config = this.discover();
      this.discovered = { at: Date.now(), config };
      config.catch(() => {
        if (this.discovered?.config === config) this.discovered = undefined;
      });
    }
    return this.discovered.config;
  }

  private async discover(): Promise<OpenIdClient.Configuration> {
    const settings = this.require();
    const client = await loadClient();
    const insecure = new URL(settings.issuer).protocol === 'http:';
    try {
      const found = await client.discovery(new URL(settings.issuer), settings.clientId, undefined, client.None(), {
        execute: insecure ? [client.allowInsecureRequests] : [],
        timeout: HTTP_TIMEOUT_SECONDS,
      });
      const metadata = found.serverMetadata();
      // client_secret_basic is the default every provider supports unless it says otherwise.
      const methods = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
      const auth = !settings.clientSecret
        ? client.None()
        : methods.includes('client_secret_basic') || !methods.includes('client_secret_post')
          ? client.ClientSecretBasic(settings.clientSecret)
          : client.ClientSecretPost(settings.clientSecret);
      const config = new client.Configuration(metadata, settings.clientId, settings.clientSecret, auth);
      if (insecure) client.allowInsecureRequests(config);
      config.timeout = HTTP_TIMEOUT_SECONDS;
      this.logger.log(`discovered ${metadata.issuer}`);
      return config;
    } catch (error) {
      throw this.failure(client, error);
    }
  }

  private identityFrom(issuer: string, claims: Record<string, unknown>, idToken: string): OidcIdentity {
    const settings = this.require();
    const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
    const email = str(claims.email);
    let idpRole: UserRole | undefined;
    if (settings.adminGroup) {
      const groups = claims[settings.groupsClaim];
      const list = Array.isArray(groups) ? groups : typeof groups === 'string' ? groups.split(/[\s,]+/) : [];
      idpRole = list.includes(settings.adminGroup) ? 'admin' : 'user';
    }
    return {
      issuer,
      subject: String(claims.sub),
      email: email && email.length <= 254 && email.includes('@') ? email : null,
      emailVerified: claims.email_verified === true || claims.email_verified === 'true',
      name: str(claims.name)?.slice(0, 200) ?? null,
      idpRole,
      idToken,
    };
  }

  /** Maps an openid-client error to the reason shown on the sign-in page. */
  private failure(client: Client, error: unknown): OidcFailure {
    if (error instanceof OidcFailure) return error;
    const message = error instanceof Error ? error.message : String(error);
    const detail = (error as { cause?: { message?: string } })?.cause?.message;
    const text = detail ? `${message} (${detail})` : message;
    if (error instanceof client.AuthorizationResponseError) {
      if (error.error === 'access_denied') return new OidcFailure('oidc_access_denied', `the provider answered access_denied: ${error.error_description ?? ''}`, { cause: error });
      if (error.error === 'temporarily_unavailable') return new OidcFailure('oidc_provider_unavailable', text, { cause: error });
      return new OidcFailure('oidc_provider_error', `the provider answered ${error.error}: ${error.error_description ?? ''}`, { cause: error });
    }
    if (error instanceof client.ResponseBodyError) {
      if (error.error === 'invalid_grant') return new OidcFailure('oidc_code_invalid', `the code was refused: ${error.error_description ?? error.error}`, { cause: error });
      if (error.status >= 500) return new OidcFailure('oidc_provider_unavailable', text, { cause: error });
      return new OidcFailure('oidc_provider_error', `the provider answered ${error.error}: ${error.error_description ?? ''}`, { cause: error });
    }
    // fetch() failing (refused, DNS, reset) is a TypeError
    if (error instanceof TypeError) return new OidcFailure('oidc_provider_unavailable', text, { cause: error });
    if (error instanceof client.ClientError) {
      switch (error.code) {
        case 'OAUTH_TIMEOUT':
        case 'OAUTH_ABORT':
        case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
        case 'OAUTH_RESPONSE_IS_NOT_JSON':
          return new OidcFailure('oidc_provider_unavailable', text, { cause: error });
        case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
        case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
        case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
        case 'OAUTH_KEY_SELECTION_FAILED':
        case 'OAUTH_INVALID_RESPONSE':
        case 'OAUTH_PARSE_ERROR':
          return new OidcFailure('oidc_token_invalid', text, { cause: error });
      }
    }
    return new OidcFailure('oidc_provider_error', text, { cause: error });
  }
}
