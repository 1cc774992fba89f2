/**
 * Secrets at rest: AES-256-GCM with a random 12-byte IV for every value and
 * associated data that binds a value to its owner (a ciphertext copied to another user's
 * row does not open). Sealed layout: version (1 byte) | IV (12) | tag (16) | ciphertext.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** A sealed value that cannot be opened: altered, cut, sealed for someone else, or with another key. */
export class SecretDecryptError extends Error {
  constructor(message = 'the stored secret could not be decrypted') {
    super(message);
    this.name = 'SecretDecryptError';
  }
}

export class SecretBox {
  /** names the key without revealing it (stored beside each value: tells "another key" from "altered") */
  readonly keyId: string;
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('SECRETS_KEY must be exactly 32 bytes');
    this.#key = Buffer.from(key);
    this.keyId = createHmac('sha256', this.#key).update('texttune secrets key id').digest('hex').slice(0, 16);
  }

  seal(plaintext: string, associatedData: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /** The plaintext, or {@link SecretDecryptError} for anything that does not authenticate. */
  open(sealed: Buffer, associatedData: string): string {
    if (sealed.length <= HEADER_BYTES || sealed[0] !== VERSION) throw new SecretDecryptError('the stored secret is not in a format this server knows');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, HEADER_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptError();
    }
  }

  toJSON(): string {
    return `SecretBox(${this.keyId})`;
  }
}
