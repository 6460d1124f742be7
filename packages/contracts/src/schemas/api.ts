import { Type } from 'typebox';
import { RegistrationStatus, Timestamp, UserId } from './common';

/** Body of `POST /api/v1/register`. Format rules beyond length live in the onboarder's domain validation. */
export const RegisterRequestBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 400 }),
    email: Type.String({ minLength: 3, maxLength: 320 }),
    phoneNumber: Type.String({ minLength: 3, maxLength: 32 }),
    nationalId: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  },
  { additionalProperties: false },
);

export const RegisterAcceptedResponse = Type.Object({
  status: Type.Literal('success'),
  message: Type.Literal('Registration successful'),
  data: Type.Object({ userID: UserId }),
});

export const RegistrationStatusResponse = Type.Object({
  status: Type.Literal('success'),
  message: Type.String(),
  data: Type.Object({ userID: UserId, registrationStatus: RegistrationStatus, updatedAt: Type.Optional(Timestamp) }),
});

/** A field-level problem in an error envelope. */
export const FieldError = Type.Object({ field: Type.String(), message: Type.String() });

/** The seed's error envelope, with a machine-readable code, field errors and the trace id (ARCHITECTURE §3). */
export const ErrorEnvelope = Type.Object({
  status: Type.Literal('error'),
  message: Type.String(),
  code: Type.String(),
  errors: Type.Optional(Type.Array(FieldError)),
  traceId: Type.Optional(Type.String()),
});
