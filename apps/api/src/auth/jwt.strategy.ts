import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { SESSION_COOKIE } from '@texttune/contracts';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { AuthUser, SessionTokenClaims } from './auth-user';
import { AuthService } from './auth.service';

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
      secretOrKey: config.auth.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: SessionTokenClaims): Promise<AuthUser | false> {
    return (await this.auth.validateSession(claims)) ?? false;
  }
}
