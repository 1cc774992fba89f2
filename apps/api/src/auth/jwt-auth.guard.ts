import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiError } from '../common/api-error';
import { IS_PUBLIC, type AuthUser } from './auth-user';

/** Global guard: every route needs a valid session unless marked {@link Public}. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<T = AuthUser>(err: unknown, user: T | false, info: unknown): T {
    if (err) throw err;
    if (user) return user;
    const reason = info instanceof Error ? info.message : '';
    if (reason === 'jwt expired') throw new ApiError(401, 'unauthorized', 'Your session has expired; sign in again.');
    if (reason === 'No auth token') throw new ApiError(401, 'unauthorized', 'Sign in first: send the session cookie or an Authorization: Bearer token.');
    if (reason) throw new ApiError(401, 'unauthorized', 'The access token is not valid; sign in again.');
    throw new ApiError(401, 'unauthorized', 'This session has ended (signed out, expired or disabled); sign in again.');
  }
}
