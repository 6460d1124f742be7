import { REDIS_KEYS } from '@scalefu/contracts';
import type { IdentityEntry } from '../domain/cache-plan';

/** The dedup key of one identity entry, from the shared layout in contracts. */
export const dedupKey = (entry: IdentityEntry) => REDIS_KEYS.dedup(entry.kind, entry.value);
