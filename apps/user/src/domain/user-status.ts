/** Lifecycle of a stored user: CREATED when stored, CONFIRMED once the confirmation mail went out. Never back. */
export type UserStatus = 'CREATED' | 'CONFIRMED';

export type Transition = { readonly change: true; readonly to: UserStatus } | { readonly change: false };

/** What a `user.confirmation.sent` does to a user: CREATED → CONFIRMED; already CONFIRMED → nothing (redelivery). */
export function onConfirmationSent(current: UserStatus): Transition {
  return current === 'CREATED' ? { change: true, to: 'CONFIRMED' } : { change: false };
}

/** Statuses the admin list may filter on. */
export const USER_STATUSES: readonly UserStatus[] = ['CREATED', 'CONFIRMED'];
