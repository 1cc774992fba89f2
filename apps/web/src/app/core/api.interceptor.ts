import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { AuthStore } from './auth';
import { ErrorText } from './error-text';
import { toErrorResponse } from './errors';
import { ERRORS_HANDLED_BY_CALLER, NO_AUTH_REDIRECT } from './http-context';
import { Notifications } from './notifications';

/**
 * Every API call: a 401 means the session ended, so forget the user and go to sign-in,
 * coming back to the same page afterwards; any other error shows the server's sentence,
 * unless the caller shows it itself (form fields).
 */
export const apiInterceptor: HttpInterceptorFn = (req, next) => {
  const router = inject(Router);
  const auth = inject(AuthStore);
  const notifications = inject(Notifications);
  const errorText = inject(ErrorText);
  return next(req).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse) {
        const body = toErrorResponse(error);
        if (error.status === 401 && !req.context.get(NO_AUTH_REDIRECT) && !req.url.startsWith('/v1/auth/')) {
          auth.signedOut();
          const returnUrl = router.url.startsWith('/signin') ? undefined : router.url;
          void router.navigate(['/signin'], { queryParams: { returnUrl, expired: 1 } });
        } else if (!req.context.get(ERRORS_HANDLED_BY_CALLER)) {
          notifications.error(errorText.describe(body));
        }
      }
      return throwError(() => error);
    }),
  );
};
