import {
  REDIS_KEYS,
  RESERVATION_TTL_SECONDS,
  STATUS_TTL_SECONDS,
  type RegistrationStatusName,
} from '@scalefu/contracts';
import type { Redis } from '@scalefu/service-kit';
import type { IdentityClaim } from '../domain/registration-command';
import { redisCall } from './redis-call';

/** The status a registration has from its reservation until the cache-updater moves it on. */
export const RESERVED_STATUS: RegistrationStatusName = 'ACCEPTED';

/**
 * All-or-nothing reservation of every identity key of one registration, plus its ACCEPTED status, in one
 * script: Redis runs it atomically, so two concurrent registrations of one person can never both win
 * (no check-then-set window). Returns the 1-based indexes of keys held by someone else; empty = reserved.
 * KEYS: dedup keys…, registration status key (last).
 * ARGV: userID, reservation TTL s, updatedAt, status TTL s, RESERVED_STATUS.
 */
const RESERVE_LUA = `
local n = #KEYS - 1
local conflicts = {}
for i = 1, n do
  local holder = redis.call('GET', KEYS[i])
  if holder and holder ~= ARGV[1] then conflicts[#conflicts + 1] = i end
end
if #conflicts > 0 then return conflicts end
for i = 1, n do redis.call('SET', KEYS[i], ARGV[1], 'EX', ARGV[2]) end
redis.call('HSET', KEYS[n + 1], 'status', ARGV[5], 'updatedAt', ARGV[3], 'version', '0')
redis.call('EXPIRE', KEYS[n + 1], ARGV[4])
return conflicts
`;

/**
 * Undo a reservation whose command was never acknowledged: delete only keys that still hold this userID
 * (never another registration's) and the status only while it is still ACCEPTED.
 * KEYS: dedup keys…, registration status key (last). ARGV: userID, RESERVED_STATUS.
 */
const RELEASE_LUA = `
local released = 0
for i = 1, #KEYS - 1 do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('DEL', KEYS[i])
    released = released + 1
  end
end
if redis.call('HGET', KEYS[#KEYS], 'status') == ARGV[2] then redis.call('DEL', KEYS[#KEYS]) end
return released
`;

export interface RegistrationStatusRecord {
  readonly status: string;
  readonly updatedAt?: string;
}

interface ReservationCommands {
  onboarderReserve(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number[]>;
  onboarderRelease(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
}

/** Redis side of registrations: dedup reservations and the registration status hash. */
export class Reservations {
  private readonly commands: ReservationCommands;

  constructor(private readonly redis: Redis) {
    redis.defineCommand('onboarderReserve', { lua: RESERVE_LUA });
    redis.defineCommand('onboarderRelease', { lua: RELEASE_LUA });
    this.commands = redis as unknown as ReservationCommands;
  }

  /** Reserve every claim for `userID`; resolves to the claims held by another registration (empty = all reserved). */
  async reserve(userID: string, claims: readonly IdentityClaim[], at: Date): Promise<IdentityClaim[]> {
    const keys = [...claims.map((c) => REDIS_KEYS.dedup(c.kind, c.value)), REDIS_KEYS.registration(userID)];
    const conflicts = await redisCall(() =>
      this.commands.onboarderReserve(
        keys.length,
        ...keys,
        userID,
        RESERVATION_TTL_SECONDS,
        at.toISOString(),
        STATUS_TTL_SECONDS,
        RESERVED_STATUS,
      ),
    );
    return conflicts.map((i) => claims[i - 1]!);
  }

  /** Release what `reserve` took for `userID`; resolves to how many dedup keys were freed. */
  async release(userID: string, claims: readonly IdentityClaim[]): Promise<number> {
    const keys = [...claims.map((c) => REDIS_KEYS.dedup(c.kind, c.value)), REDIS_KEYS.registration(userID)];
    return redisCall(() => this.commands.onboarderRelease(keys.length, ...keys, userID, RESERVED_STATUS));
  }

  /** The registration's status hash, or undefined when Redis has none. */
  async status(userID: string): Promise<RegistrationStatusRecord | undefined> {
    const hash = await redisCall(() => this.redis.hgetall(REDIS_KEYS.registration(userID)));
    if (!hash['status']) return undefined;
    return { status: hash['status'], ...(hash['updatedAt'] ? { updatedAt: hash['updatedAt'] } : {}) };
  }
}
