import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

// `Algorithm` is a const enum, which per-file transpilers (SWC) cannot inline; 2 is its Argon2id.
const ARGON2ID: Algorithm.Argon2id = 2;

/**
 * argon2id at 64 MiB, 3 passes, 4 lanes and a 32-byte output: the parameters every stored
 * password hash was made with, so new hashes cost an attacker as much as the old ones.
 */
export const PASSWORD_HASH_OPTIONS: Readonly<Options> = Object.freeze({ algorithm: ARGON2ID, memoryCost: 65536, timeCost: 3, parallelism: 4, outputLen: 32 });

/** The PHC string (`$argon2id$v=19$m=65536,t=3,p=4$salt$hash`) stored for a password, with a fresh random salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/**
 * Whether the password matches a stored PHC string. Verification takes the algorithm and
 * parameters from the string itself, so hashes made with other parameters still verify;
 * a string that is not a valid hash is a mismatch, not an error.
 */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  return verify(storedHash, password).catch(() => false);
}
