/** CloudEvents `type` of every ScaleFu event; versioned so a breaking payload change gets a new type. */
export const EVENT_TYPES = {
  registrationRequested: 'th.scalefu.user.registration.requested.v1',
  userCreated: 'th.scalefu.user.created.v1',
  userUpdated: 'th.scalefu.user.updated.v1',
  userDeleted: 'th.scalefu.user.deleted.v1',
  confirmationSent: 'th.scalefu.user.confirmation.sent.v1',
  registrationRejected: 'th.scalefu.user.registration.rejected.v1',
} as const;

export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

/** CloudEvents `source` of events a service emits. */
export function eventSourceOf(service: string): string {
  return `/scalefu/${service}`;
}
