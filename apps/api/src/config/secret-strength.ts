import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/** The shortest server secret production accepts. */
export const SECRET_MIN_LENGTH = 32;
/** The least estimated entropy production accepts in a server secret. */
export const SECRET_MIN_BITS = 128;

/**
 * Words that mark a value as a placeholder someone forgot to replace, compared with the
 * value in lower case with everything but letters and digits taken out
 * (`Change-Me` → `changeme`). Random secrets of the length required do not contain them
 * by chance often enough to matter.
 */
const PLACEHOLDER_MARKERS = ['changeme', 'changethis', 'replaceme', 'replacewith', 'placeholder', 'example', 'yoursecret', 'secretkey', 'notasecret', 'insecure', 'devsecret', 'testsecret'];

let estimator: ZxcvbnFactory | undefined;

/**
 * Bits of entropy zxcvbn estimates for `value`: log2 of the guesses an attacker who
 * knows common passwords, words, keyboard walks, sequences and repeats would need. It
 * counts an unpatterned character as 10 guesses (3.3 bits), so a random secret reaches
 * 128 bits from about 39 characters, whatever its alphabet.
 */
export function estimatedBits(value: string): number {
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, maxLength: 512 });
  return estimator.check(value).guessesLog10 * Math.log2(10);
}

/**
 * Why `value` is too weak to sign or encrypt with in production, as a phrase that never
 * repeats the value; null when it is strong enough: at least {@link SECRET_MIN_LENGTH}
 * characters, no placeholder, and an estimated {@link SECRET_MIN_BITS} bits or more.
 */
export function weakSecretReason(value: string, knownDefaults: readonly string[] = []): string | null {
  const folded = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (knownDefaults.includes(value) || PLACEHOLDER_MARKERS.some((marker) => folded.includes(marker))) {
    return 'is a default or placeholder value';
  }
  if (value.length < SECRET_MIN_LENGTH) return `is ${value.length} characters long; at least ${SECRET_MIN_LENGTH} are needed`;
  const bits = Math.floor(estimatedBits(value));
  if (bits < SECRET_MIN_BITS) {
    return `has about ${bits} bits of estimated entropy (repeated characters, patterns or words); at least ${SECRET_MIN_BITS} are needed`;
  }
  return null;
}
