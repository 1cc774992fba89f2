import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthUser } from './auth-user';
import { ApiError } from '../common/api-error';

/**
 * Role admin only (after the global authentication guard). The role is the one read
 * from the database by the request's authentication, so a change takes effect at once.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<Request & { user?: AuthUser }>().user;
    if (user?.role !== 'admin') throw new ApiError(403, 'forbidden', 'This needs the admin role.');
    return true;
  }
}
