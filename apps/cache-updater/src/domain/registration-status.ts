import type { RegistrationStatusName } from '@scalefu/contracts';

export type { RegistrationStatusName };
/**
 * Order of registration statuses: a status only ever moves to a higher rank, so late or replayed events never
 * walk it back (a CONFIRMED registration stays CONFIRMED when an old `user.created` arrives). DUPLICATE and
 * REJECTED are terminal: a rejected userID is never created.
 */
export const STATUS_RANK: Readonly<Record<RegistrationStatusName, number>> = {
  ACCEPTED: 0,
  CREATED: 1,
  CONFIRMED: 2,
  DUPLICATE: 3,
  REJECTED: 3,
};

/**
 * The rule the store's Lua script applies with these ranks: a status moves only to a strictly higher rank, and an
 * unknown current status (nothing cached) always moves.
 */
export function canAdvanceStatus(current: string | undefined, next: RegistrationStatusName): boolean {
  if (current === undefined) return true;
  const rank = STATUS_RANK[current as RegistrationStatusName];
  return rank === undefined || rank < STATUS_RANK[next];
}
