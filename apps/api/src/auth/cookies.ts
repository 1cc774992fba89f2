import { SESSION_COOKIE, type AuthResponse } from '@texttune/contracts';
import type { CookieOptions, Request, Response } from 'express';
import type { ClientInfo } from './auth.service';

export const clientInfo = (req: Request): ClientInfo => ({ ip: req.ip, userAgent: req.get('user-agent') });

export function cookieOptions(req: Request, expires?: Date, path = '/'): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: req.secure, path, ...(expires ? { expires } : {}) };
}

/** The httpOnly session cookie carrying the same token as `accessToken`. */
export function setSessionCookie(req: Request, res: Response, auth: AuthResponse): AuthResponse {
  res.cookie(SESSION_COOKIE, auth.accessToken, cookieOptions(req, new Date(auth.expiresAt)));
  return auth;
}
