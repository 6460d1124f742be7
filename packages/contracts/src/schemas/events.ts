import { Type } from 'typebox';
import { IdentityKeys, Timestamp, UserId, UserStatus } from './common';

/**
 * The whole user resource as carried by user events (event-notification pattern). E-mail and phone travel in clear
 * (the notifier mails them; topics are ACL-restricted to ScaleFu services); the national ID only ever masked.
 */
export const UserResource = Type.Object(
  {
    userID: UserId,
    name: Type.String(),
    email: Type.String(),
    phoneNumber: Type.String(),
    nationalIdMasked: Type.Optional(Type.String()),
    status: UserStatus,
    version: Type.Integer({ minimum: 1, description: 'bumped on every change; consumers drop stale versions' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    confirmedAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

/** `user.registration.request`: the onboarder accepted a registration; the user service must store it. */
export const RegistrationRequestedData = Type.Object(
  {
    userID: UserId,
    name: Type.String(),
    email: Type.String({ description: 'as sent, trimmed' }),
    phoneNumber: Type.String({ description: 'E.164' }),
    nationalIdMasked: Type.Optional(Type.String()),
    identity: IdentityKeys,
    requestedAt: Timestamp,
  },
  { additionalProperties: false },
);

/** `user.created` / `user.updated`: the user after the change, with the identity keys it holds now and held before. */
export const UserChangedData = Type.Object(
  {
    user: UserResource,
    identity: IdentityKeys,
    previousIdentity: Type.Optional(IdentityKeys),
  },
  { additionalProperties: false },
);

/** `user.deleted`: the last state of the user, so caches can drop its keys. */
export const UserDeletedData = Type.Object(
  {
    user: UserResource,
    identity: IdentityKeys,
    deletedAt: Timestamp,
  },
  { additionalProperties: false },
);

/** `user.confirmation.sent`: the notifier handed the confirmation mail to SMTP. */
export const ConfirmationSentData = Type.Object(
  {
    userID: UserId,
    messageId: Type.String({ description: 'SMTP Message-ID' }),
    sentAt: Timestamp,
  },
  { additionalProperties: false },
);

/** `user.registration.rejected`: the database found the person already registered (a duplicate that passed Redis). */
export const RegistrationRejectedData = Type.Object(
  {
    userID: UserId,
    reason: Type.Literal('DUPLICATE'),
    existingUserID: Type.Optional(UserId),
    conflictingFields: Type.Array(
      Type.Union([Type.Literal('email'), Type.Literal('phoneNumber'), Type.Literal('nationalId')]),
    ),
    identity: IdentityKeys,
    rejectedAt: Timestamp,
  },
  { additionalProperties: false },
);
