import { REDIS_KEYS } from '@scalefu/contracts';
import type { Redis } from '@scalefu/service-kit';
import { redisCall } from './redis-call';

/**
 * One fixed-window counter per client: INCR and, on the window's first hit, PEXPIRE to the window's end — in one
 * script, so a crash between the two can never leave a counter without expiry. Returns [count, ms to window end].
 */
const HIT_LUA = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

export interface RateDecision {
  readonly allowed: boolean;
  /** Seconds until the window ends (what `Retry-After` says when refused). */
  readonly retryAfterSeconds: number;
}

interface RateLimitCommands {
  onboarderRateHit(key: string, ttlMs: number): Promise<[number, number]>;
}

/** Redis-backed per-client limit, so it holds across replicas (ARCHITECTURE §3). */
export class RateLimiter {
  private readonly commands: RateLimitCommands;

  constructor(
    redis: Redis,
    private readonly max: number,
    private readonly windowMs: number,
  ) {
    redis.defineCommand('onboarderRateHit', { lua: HIT_LUA, numberOfKeys: 1 });
    this.commands = redis as unknown as RateLimitCommands;
  }

  /** Count one request of `clientKey` (the client IP) and say whether it is within the limit. */
  async hit(clientKey: string, now = Date.now()): Promise<RateDecision> {
    const windowStart = now - (now % this.windowMs);
    const ttlMs = windowStart + this.windowMs - now;
    const [count, remainingMs] = await redisCall(() =>
      this.commands.onboarderRateHit(REDIS_KEYS.rateLimit(clientKey, windowStart), Math.max(1, ttlMs)),
    );
    return { allowed: count <= this.max, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
  }
}
