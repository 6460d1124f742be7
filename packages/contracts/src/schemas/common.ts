import { Type } from 'typebox';

/** UUIDv7 minted by the onboarder (time-ordered, so B-tree friendly and roughly sortable by arrival). */
export const UserId = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$',
  description: 'UUIDv7',
});

/** Where a registration stands, in the order it moves (DUPLICATE and REJECTED are final). */
export const REGISTRATION_STATUSES = ['ACCEPTED', 'CREATED', 'CONFIRMED', 'DUPLICATE', 'REJECTED'] as const;
export type RegistrationStatusName = (typeof REGISTRATION_STATUSES)[number];

export const RegistrationStatus = Type.Union([
  Type.Literal('ACCEPTED'),
  Type.Literal('CREATED'),
  Type.Literal('CONFIRMED'),
  Type.Literal('DUPLICATE'),
  Type.Literal('REJECTED'),
]);

export const UserStatus = Type.Union([Type.Literal('CREATED'), Type.Literal('CONFIRMED')]);

/** ISO-8601 timestamp with offset, as produced by `Date.prototype.toISOString`. */
export const Timestamp = Type.String({ format: 'date-time' });

/** Canonical identity keys used for dedup: one person, one of each. */
export const IdentityKeys = Type.Object(
  {
    email: Type.String({ description: 'canonical e-mail (lower-case, NFKC, confusables folded)' }),
    phone: Type.String({ description: 'E.164 phone number' }),
    nationalIdHmac: Type.Optional(Type.String({ description: 'HMAC-SHA256 of the national ID, hex' })),
  },
  { additionalProperties: false },
);
