import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { UserRole } from '@texttune/contracts';
import type { Request } from 'express';

/** The signed-in caller, attached to the request by the JWT strategy. */
export interface AuthUser {
  id: string;
  email: string | null;
  role: UserRole;
  isGuest: boolean;
  createdAt: Date;
  sessionId: string;
}

/** The JWT's claims: the user and the server-side session that keeps it valid. */
export interface SessionTokenClaims {
  sub: string;
  sid: string;
}

export const IS_PUBLIC = 'texttune:isPublic';
/** Marks a route that needs no sign-in. Every other route does. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<Request & { user: AuthUser }>().user;
});
