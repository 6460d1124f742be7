import { EVENT_TYPES, eventSourceOf, type EventData, type EventEnvelope, type IdentityKind } from '@scalefu/contracts';
import type { CheckedIdentity } from '@scalefu/identity';
import { SERVICE } from '../config';

export type RegistrationRequested = EventData<typeof EVENT_TYPES.registrationRequested>;

/** Request field each identity kind comes from: what a 409 names. */
export type IdentityField = 'email' | 'phoneNumber' | 'nationalId';

/** One identity key a registration must hold alone. */
export interface IdentityClaim {
  readonly kind: IdentityKind;
  readonly value: string;
  readonly field: IdentityField;
}

/** Every dedup key of a person, in a fixed order (e-mail, phone, national ID). */
export function identityClaims(identity: CheckedIdentity['identity']): IdentityClaim[] {
  const claims: IdentityClaim[] = [
    { kind: 'email', value: identity.email, field: 'email' },
    { kind: 'phone', value: identity.phone, field: 'phoneNumber' },
  ];
  if (identity.nationalIdHmac) claims.push({ kind: 'nid', value: identity.nationalIdHmac, field: 'nationalId' });
  return claims;
}

/**
 * The `user.registration.request` command for an accepted registration. It carries the national ID only
 * masked and as an HMAC: the clear ID never leaves the onboarder.
 */
export function registrationRequested(
  ids: { readonly userID: string; readonly eventId: string },
  person: CheckedIdentity,
  at: Date,
): EventEnvelope<RegistrationRequested> {
  const time = at.toISOString();
  return {
    id: ids.eventId,
    source: eventSourceOf(SERVICE),
    type: EVENT_TYPES.registrationRequested,
    time,
    subject: ids.userID,
    data: {
      userID: ids.userID,
      name: person.name,
      email: person.email,
      phoneNumber: person.phoneNumber,
      ...(person.nationalIdMasked ? { nationalIdMasked: person.nationalIdMasked } : {}),
      identity: { ...person.identity },
      requestedAt: time,
    },
  };
}
