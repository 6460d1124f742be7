import { REDIS_KEYS } from '@scalefu/contracts';
import { DependencyUnavailableError } from '@scalefu/service-kit';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';

/** Failure limits of one scope: after `freeFailures` within `windowSeconds`, each failure locks for a doubling time. */
export interface ThrottleRule {
  readonly freeFailures: number;
  readonly windowSeconds: number;
  readonly firstLockSeconds: number;
  readonly maxLockSeconds: number;
}

export const THROTTLE_RULES = {
  /** Per e-mail (known or not, so both behave the same). */
  loginAccount: { freeFailures: 10, windowSeconds: 15 * 60, firstLockSeconds: 30, maxLockSeconds: 15 * 60 },
  /** Per client IP: wider, since offices share an address. */
  loginIp: { freeFailures: 50, windowSeconds: 15 * 60, firstLockSeconds: 30, maxLockSeconds: 15 * 60 },
  /** Per account: wrong TOTP or backup codes (also at step-up). */
  mfaAccount: { freeFailures: 10, windowSeconds: 15 * 60, firstLockSeconds: 30, maxLockSeconds: 15 * 60 },
} as const satisfies Record<string, ThrottleRule>;

export type ThrottleScope = keyof typeof THROTTLE_RULES;

/** Keys never hold an e-mail in clear (Redis is not the place for PII). */
export const subjectOfEmail = (normalisedEmail: string): string =>
  createHash('sha256').update(normalisedEmail).digest('hex').slice(0, 32);

/** Redis down means no lockout bookkeeping: refuse sign-in (503) rather than let guessing run unthrottled. */
async function orUnavailable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch {
    throw new DependencyUnavailableError('redis');
  }
}

/** Per-subject failure counters and lockouts in Redis, so they hold across replicas. */
export class AuthThrottle {
  constructor(private readonly redis: Redis) {}

  /** Seconds until the longest lock among these subjects ends; 0 when none is locked. */
  async retryAfter(subjects: ReadonlyArray<readonly [ThrottleScope, string]>): Promise<number> {
    const ttls = await orUnavailable(
      Promise.all(subjects.map(([scope, id]) => this.redis.pttl(REDIS_KEYS.authLock(scope, id)))),
    );
    return Math.ceil(Math.max(0, ...ttls) / 1000);
  }

  /** Count a failure; returns the lock it started in seconds (0 while still within the free failures). */
  fail(scope: ThrottleScope, subject: string): Promise<number> {
    return orUnavailable(this.countFailure(scope, subject));
  }

  private async countFailure(scope: ThrottleScope, subject: string): Promise<number> {
    const rule: ThrottleRule = THROTTLE_RULES[scope];
    const key = REDIS_KEYS.authFailures(scope, subject);
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, rule.windowSeconds, 'NX').exec()) as [
      [Error | null, number],
    ];
    if (count < rule.freeFailures) return 0;
    const seconds = Math.min(rule.maxLockSeconds, rule.firstLockSeconds * 2 ** (count - rule.freeFailures));
    await this.redis.set(REDIS_KEYS.authLock(scope, subject), '1', 'EX', seconds);
    // The counter outlives the lock so the next failure locks for longer.
    await this.redis.expire(key, Math.max(rule.windowSeconds, seconds * 2));
    return seconds;
  }

  async clear(scope: ThrottleScope, subject: string): Promise<void> {
    await orUnavailable(this.redis.del(REDIS_KEYS.authFailures(scope, subject), REDIS_KEYS.authLock(scope, subject)));
  }

  /** Mark a challenge used; false when it already was. */
  async spendChallenge(jti: string, ttlSeconds: number): Promise<boolean> {
    const set = this.redis.set(REDIS_KEYS.usedChallenge(jti), '1', 'EX', Math.max(1, ttlSeconds), 'NX');
    return (await orUnavailable(set)) === 'OK';
  }
}
