import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { AuthStore } from './auth';

/** Signed-in pages: otherwise to sign-in, returning here afterwards. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const router = inject(Router);
  const user = await inject(AuthStore).ensure().catch(() => null);
  return user ? true : router.createUrlTree(['/signin'], { queryParams: { returnUrl: state.url } });
};

/** Admin pages: role admin only. */
export const adminGuard: CanActivateFn = async (_route, state) => {
  const router = inject(Router);
  const user = await inject(AuthStore).ensure().catch(() => null);
  if (!user) return router.createUrlTree(['/signin'], { queryParams: { returnUrl: state.url } });
  return user.role === 'admin' ? true : router.createUrlTree(['/create']);
};

/** A return address from the query string, only if it stays on this site. */
export function safeReturnUrl(value: unknown, fallback = '/create'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.startsWith('/signin')) return fallback;
  return value;
}
