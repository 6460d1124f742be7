import type { RegistrationStatusName } from '@scalefu/contracts';

export type { RegistrationStatusName };
/**
 * Order of registration statuses: a status only ever moves to a strictly higher rank, so late or replayed events
 * never walk it back (a CONFIRMED registration stays CONFIRMED when an old `user.created` arrives). DUPLICATE and
 * REJECTED are terminal: a rejected userID is never created. The store's Lua script applies the rule
 * (`apply-plan-script.ts`); `test/cache-store.test.ts` proves it against Redis.
 */
export const STATUS_RANK: Readonly<Record<RegistrationStatusName, number>> = {
  ACCEPTED: 0,
  CREATED: 1,
  CONFIRMED: 2,
  DUPLICATE: 3,
  REJECTED: 3,
};
