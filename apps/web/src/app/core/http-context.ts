import { HttpContextToken } from '@angular/common/http';

/** The caller shows this request's errors itself (at a field, in a page state): no global message. */
export const ERRORS_HANDLED_BY_CALLER = new HttpContextToken<boolean>(() => false);
/** A 401 on this request is an answer, not an expired session: no redirect to sign-in. */
export const NO_AUTH_REDIRECT = new HttpContextToken<boolean>(() => false);
