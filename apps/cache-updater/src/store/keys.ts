import { REDIS_KEYS, REDIS_PREFIX } from '@scalefu/contracts';
import type { IdentityEntry } from '../domain/cache-plan';

/**
 * Keys only the cache-updater reads and writes, beside the shared `REDIS_KEYS` (a request to move them into
 * contracts is open): a tombstone so late events never resurrect a deleted user, and the set of dedup keys a
 * user holds so a delete or update can release keys an out-of-order event never told it about.
 */
export const CACHE_KEYS = {
  /** String: present while a deleted user's late events must be ignored. */
  tombstone: (userID: string) => `${REDIS_PREFIX}:tombstone:${userID}`,
  /** Set: names of the dedup keys that point at this user. */
  held: (userID: string) => `${REDIS_PREFIX}:held:${userID}`,
} as const;

export const dedupKey = (entry: IdentityEntry) => REDIS_KEYS.dedup(entry.kind, entry.value);
