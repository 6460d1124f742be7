import { hash, verify } from '@node-rs/argon2';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FieldError } from '@scalefu/service-kit';

/** argon2id parameters: OWASP's minimum (m = 19 MiB, t = 2, p = 1). Raising them re-hashes each account at login. */
export const ARGON2_PARAMS = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_LENGTH = { min: 12, max: 128 } as const;

const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean),
);

/**
 * NIST 800-63B: length 12..128 (counted in code points), no composition rules, refused when it is a known common
 * password. Returns the problems, empty when the password is acceptable.
 */
export function passwordProblems(password: string): FieldError[] {
  const length = [...password].length;
  if (length < PASSWORD_LENGTH.min || length > PASSWORD_LENGTH.max) {
    return [
      {
        field: 'password',
        message: `must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters long`,
      },
    ];
  }
  if (isCommon(password.trim().toLowerCase())) {
    return [{ field: 'password', message: 'is one of the most common passwords; choose another' }];
  }
  return [];
}

/**
 * The list is mostly shorter than 12 characters, so the usual ways of stretching a list entry count as the entry:
 * a repetition (`passwordpassword`, `aaaaaaaaaaaa`), and trailing digits or symbols (`password1234!`).
 */
function isCommon(normalized: string): boolean {
  if (COMMON.has(normalized)) return true;
  const repeated = /^(.{1,64}?)\1+$/u.exec(normalized)?.[1];
  if (repeated !== undefined && (repeated.length <= 3 || COMMON.has(repeated))) return true;
  const stem = normalized.replace(/[\d\W_]+$/u, '');
  return stem.length > 0 && stem !== normalized && COMMON.has(stem);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

/**
 * The hash an unknown e-mail's password is checked against, so both cases cost one argon2id verification. argon2id's
 * second half indexes memory by the data, so each (salt, password) pair has its own small, stable timing: one shared
 * dummy would give every unknown e-mail the same profile, which an attacker could learn from made-up addresses. The
 * salt is therefore derived from the e-mail (keyed, so it cannot be predicted), giving each unknown e-mail a stable
 * profile of its own, like a real account. The hash part is random: no password matches it.
 */
export function dummyPasswordHashFor(normalisedEmail: string, key: Buffer): string {
  const salt = createHmac('sha256', key).update(normalisedEmail).digest().subarray(0, 16);
  const { memoryCost, timeCost, parallelism } = ARGON2_PARAMS;
  const phcB64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
  return `$argon2id$v=19$m=${memoryCost},t=${timeCost},p=${parallelism}$${phcB64(salt)}$${phcB64(DUMMY_DIGEST)}`;
}

const DUMMY_DIGEST = randomBytes(32);

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false; // a malformed stored hash is a failed sign-in, never a 500
  }
}

/** True when a stored hash was made with other parameters than today's, so a successful login re-hashes it. */
export function needsRehash(phc: string): boolean {
  const { memoryCost, timeCost, parallelism } = ARGON2_PARAMS;
  return !phc.startsWith(`$argon2id$v=19$m=${memoryCost},t=${timeCost},p=${parallelism}$`);
}
