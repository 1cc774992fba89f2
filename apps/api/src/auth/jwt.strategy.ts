import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { SESSION_COOKIE } from '@texttune/contracts';
import type { Request } from 'express';
import { createSecretKey } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { AuthUser, SessionTokenClaims } from './auth-user';
import { AuthService } from './auth.service';
import { attachOwned, ownedTargetOf } from './owned-lookup';

const fromCookie = (req: Request): string | null => {
  const cookies = req.cookies as Record<string, unknown> | undefined;
  const value = cookies?.[SESSION_COOKIE];
  return typeof value === 'string' && value ? value : null;
};

/**
 * Accepts the session JWT from `Authorization: Bearer` (API clients) or the session
 * cookie (the browser, including `<audio>` and EventSource). HS256 only: `alg: none`
 * and any other algorithm are refused by the verifier.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([ExtractJwt.fromAuthHeaderAsBearerToken(), fromCookie]),
      // A KeyObject made once: given a string, jsonwebtoken first tries to parse it as a
      // public key and throws on every request (about 9% of the API's CPU under load).
      // It accepts KeyObjects since v9; passport-jwt's types only predate that.
      secretOrKey: createSecretKey(Buffer.from(config.auth.jwtSecret)) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  async validate(req: Request, claims: SessionTokenClaims): Promise<AuthUser | false> {
    const target = ownedTargetOf(req);
    const caller = await this.auth.validateSession(claims, target);
    if (!caller) return false;
    if (target) attachOwned(req, caller.owned);
    return caller.user;
  }
}
