import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { ApiTokenScope } from '@texttune/contracts';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import { API_TOKEN_CHECK, type ApiTokenCheck } from './api-token-check';
import { IS_PUBLIC, OPTIONAL_SESSION, type AuthUser } from './auth-user';
import { attachOwned, OWNED_LOOKUP, markOwnedTarget, type OwnedLookup } from './owned-lookup';
import { checkScope, REQUIRED_SCOPE } from './scopes';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Global guard: every route needs a valid session unless marked {@link Public}. A
 * `Bearer` personal API token (`ttk_…`) is checked by one indexed lookup; anything else
 * goes to the JWT strategy (header or session cookie), which checks the session in one
 * statement. A route marked {@link LoadsOwned} has its resource read by that same
 * statement. A token must also hold the route's {@link RequiresScope} scope.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_TOKEN_CHECK) private readonly tokens: ApiTokenCheck,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    if (this.reflector.getAllAndOverride<boolean>(OPTIONAL_SESSION, [context.getHandler(), context.getClass()])) {
      const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
      try {
        return await this.authenticate(context);
      } catch {
        delete req.user;
        return true;
      }
    }
    return this.authenticate(context);
  }

  private async authenticate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const lookup = this.reflector.get<OwnedLookup<unknown> | undefined>(OWNED_LOOKUP, context.getHandler());
    const target = lookup && markOwnedTarget(req, lookup);
    const bearer = BEARER.exec(req.headers.authorization ?? '')?.[1];
    if (bearer && this.tokens.isApiToken(bearer)) {
      const caller = await this.tokens.authenticate(bearer, target);
      if (!caller) throw new ApiError(401, 'unauthorized', 'This API token is not valid: it was revoked, has expired, or its account is disabled.');
      checkScope(caller.user, this.reflector.getAllAndOverride<ApiTokenScope | undefined>(REQUIRED_SCOPE, [context.getHandler(), context.getClass()]));
      req.user = caller.user;
      if (target) attachOwned(req, caller.owned);
      return true;
    }
    return (await super.canActivate(context)) as boolean; // the JWT strategy attaches the resource
  }

  override handleRequest<T = AuthUser>(err: unknown, user: T | false, info: unknown): T {
    if (err instanceof Error) throw err;
    if (user) return user;
    const reason = info instanceof Error ? info.message : '';
    if (reason === 'jwt expired') throw new ApiError(401, 'unauthorized', 'Your session has expired; sign in again.');
    if (reason === 'No auth token') throw new ApiError(401, 'unauthorized', 'Sign in first: send the session cookie or an Authorization: Bearer token.');
    if (reason) throw new ApiError(401, 'unauthorized', 'The access token is not valid; sign in again.');
    throw new ApiError(401, 'unauthorized', 'This session has ended (signed out, expired or disabled); sign in again.');
  }
}
