import { PASSWORD_MIN_LENGTH } from '@texttune/contracts';
import { dictionary } from '@zxcvbn-ts/language-common';
import { ApiError } from '../common/api-error';

/**
 * The most common passwords of leaked password lists (zxcvbn-ts's `passwords-common`:
 * about 49,000, lower case), refused as new passwords whatever their case.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common']);

export type PasswordRule = 'min_length' | 'common_password' | 'email';

/** Which rule a new password breaks, with the sentence that tells the user; null when it is acceptable. */
export function passwordWeakness(password: string, email: string): { rule: PasswordRule; message: string } | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    return { rule: 'min_length', message: `A password needs at least ${PASSWORD_MIN_LENGTH} characters; a few unrelated words make a long one that is easy to remember.` };
  }
  const folded = password.trim().toLowerCase();
  if (COMMON_PASSWORDS.has(folded)) {
    return { rule: 'common_password', message: 'This password is one of the most common passwords, which are guessed first; choose one that is not.' };
  }
  const address = email.trim().toLowerCase();
  const localPart = address.slice(0, address.lastIndexOf('@'));
  if (folded === address || folded === localPart) {
    return { rule: 'email', message: 'A password must not be your email address or its name part; choose one that is not.' };
  }
  return null;
}

/**
 * Refuses a new or changed password that breaks a rule: 400 `weak_password` naming it.
 * Passwords set before a rule existed still sign in: only new passwords are checked.
 */
export function assertStrongPassword(password: string, email: string): void {
  const weakness = passwordWeakness(password, email);
  if (weakness) throw new ApiError(400, 'weak_password', weakness.message, { rule: weakness.rule, minLength: PASSWORD_MIN_LENGTH });
}
