import type { IdentityKeys, UserResource } from '@scalefu/contracts';
import type { Static } from 'typebox';
import { maskEmail, maskPhone } from './identity';
import type { UserStatus } from './user-status';

/** A user as stored; the store maps rows to this and nothing else leaves it. */
export interface StoredUser {
  readonly userID: string;
  readonly name: string;
  readonly email: string;
  readonly emailCanonical: string;
  readonly phoneE164: string;
  readonly nationalIdHmac: string | null;
  readonly nationalIdMasked: string | null;
  readonly status: UserStatus;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly confirmedAt: Date | null;
}

export type UserResourceData = Static<typeof UserResource>;
export type IdentityKeysData = Static<typeof IdentityKeys>;

/** The whole resource, as events carry it and the single-user GET returns it (national ID only ever masked). */
export function toResource(user: StoredUser): UserResourceData {
  return {
    userID: user.userID,
    name: user.name,
    email: user.email,
    phoneNumber: user.phoneE164,
    ...(user.nationalIdMasked ? { nationalIdMasked: user.nationalIdMasked } : {}),
    status: user.status,
    version: user.version,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    ...(user.confirmedAt ? { confirmedAt: user.confirmedAt.toISOString() } : {}),
  };
}

/** What list responses show: contact data masked (PDPA: a list is the easiest thing to scrape). */
export function toMaskedResource(user: StoredUser): UserResourceData {
  const resource = toResource(user);
  return { ...resource, email: maskEmail(resource.email), phoneNumber: maskPhone(resource.phoneNumber) };
}

export function identityOf(
  user: Pick<StoredUser, 'emailCanonical' | 'phoneE164' | 'nationalIdHmac'>,
): IdentityKeysData {
  return {
    email: user.emailCanonical,
    phone: user.phoneE164,
    ...(user.nationalIdHmac ? { nationalIdHmac: user.nationalIdHmac } : {}),
  };
}

export function identityChanged(before: IdentityKeysData, after: IdentityKeysData): boolean {
  return before.email !== after.email || before.phone !== after.phone || before.nationalIdHmac !== after.nationalIdHmac;
}
