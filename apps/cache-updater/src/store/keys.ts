import { REDIS_KEYS } from '@scalefu/contracts';
import type { IdentityEntry } from '../domain/cache-plan';

/** Keys the cache-updater owns, from the shared layout in contracts. */
export const CACHE_KEYS = {
  tombstone: REDIS_KEYS.tombstone,
  held: REDIS_KEYS.heldDedupKeys,
} as const;

export const dedupKey = (entry: IdentityEntry) => REDIS_KEYS.dedup(entry.kind, entry.value);
