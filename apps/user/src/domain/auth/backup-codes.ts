import { randomBytes } from 'node:crypto';
import { sha256 } from './tokens';

export const BACKUP_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read aloud and typed from paper

/**
 * Ten single-use codes of 10 characters (~49 bits each): random enough that a fast hash (SHA-256) suffices at rest,
 * and an online guesser meets the MFA lockout long before.
 */
export function newBackupCodes(): string[] {
  return Array.from({ length: BACKUP_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** What is stored and compared: the code without separators or case, hashed. */
export function backupCodeHash(code: string): Buffer {
  return sha256(code.toLowerCase().replace(/[^a-z0-9]/g, ''));
}
