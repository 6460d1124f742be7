import { Type, type TSchema } from 'typebox';
import { RegistrationStatus, Timestamp, UserId } from './common';

/**
 * Body of `POST /api/v1/register` (and the admin API's create/edit). Every rule JSON Schema can state is a schema
 * rule; what it cannot (grapheme counts, the e-mail grammar, phone number validity, the ID's check digit) is in the
 * field's description, enforced by `@scalefu/identity`. Patterns allow what `String.prototype.trim` removes.
 */
export const RegisterRequestBody = Type.Object(
  {
    name: Type.String({
      minLength: 2,
      maxLength: 1000,
      pattern:
        "^\\s*[\\p{L}\\p{M}\\p{Nd} '\u2019\u02bc\\-\u2010.,]*\\p{L}[\\p{L}\\p{M}\\p{Nd} '\u2019\u02bc\\-\u2010.,]*\\s*$",
      description:
        'Full name, Thai or any script: letters and combining marks, digits, spaces, apostrophes, hyphens, full ' +
        'stops and commas, at least one letter. Also enforced: 2–200 characters counted as grapheme clusters ' +
        '(what a reader counts as one character) after trimming, at most 4 combining marks on one character.',
      examples: ['สมชาย ใจดี'],
    }),
    email: Type.String({
      minLength: 3,
      maxLength: 320,
      // The at sign may be typed full-width or small (NFKC folds both to @).
      pattern: '^\\s*[^\\s@\uff20\ufe6b]{1,64}[@\uff20\ufe6b][^\\s@\uff20\ufe6b]+\\s*$',
      description:
        'E-mail address. Also enforced: at most 254 characters after trimming (and NFKC normalisation); the local ' +
        'part an RFC 5322 dot-atom of ASCII characters; the domain a valid host name (IDN allowed, checked as its ' +
        'A-label) with at least two labels and an alphabetic or xn-- top-level label. Deduplicated case- and ' +
        'look-alike-insensitively (Gmail dots and +tags folded).',
      examples: ['somchai@example.co.th'],
    }),
    phoneNumber: Type.String({
      minLength: 6,
      maxLength: 32,
      pattern: '^\\s*\\+?[0-9(][0-9 ().-]{5,22}\\s*$',
      description:
        'Thai phone number, national (081 234 5678) or international (+66 81 234 5678) form; spaces, dashes, dots ' +
        'and brackets allowed. Also enforced: a valid Thai (+66) mobile or fixed-line number by libphonenumber ' +
        'metadata. Stored as E.164.',
      examples: ['081 234 5678'],
    }),
    nationalId: Type.Optional(
      Type.String({
        minLength: 13,
        maxLength: 32,
        pattern: '^[\\s-]*([0-9][\\s-]*){13}$',
        description:
          'Thai national ID: 13 digits, spaces and dashes ignored. Also enforced: the 13th digit is the check digit ' +
          '(11 − (Σ dᵢ·(14 − i) for i = 1..12) mod 11) mod 10. Never stored or returned in clear.',
        examples: ['1-2345-67890-12-1'],
      }),
    ),
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

/** What every ScaleFu API enforces beyond its operations, for the documents' descriptions. */
export const API_WIDE_RULES =
  'A method a path does not declare is answered 405 with an Allow header; an unknown path 404. JSON bodies must be ' +
  'UTF-8 (a content type naming another charset is 415). Browsers may call only from the admin web origin (CORS).';

/** What each error status means, for the OpenAPI documents (ARCHITECTURE §3). */
export const ERROR_STATUS_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid input: the body, path or query breaks a rule of the schema or of a field description (VALIDATION_FAILED, with field errors), or the body is not JSON (MALFORMED_JSON)',
  401: 'Not authenticated (UNAUTHORIZED)',
  403: 'Authenticated but not allowed, or a cookie-authenticated request from a foreign Origin (FORBIDDEN)',
  404: 'No such resource (NOT_FOUND)',
  409: 'The identity (e-mail, phone or national ID) is already registered (DUPLICATE / CONFLICT, field errors name which)',
  412: 'If-Match does not match the current ETag: the resource changed since it was read (PRECONDITION_FAILED)',
  413: 'Body larger than the limit (PAYLOAD_TOO_LARGE)',
  415: 'Body is not application/json, or names a charset other than UTF-8 (UNSUPPORTED_MEDIA_TYPE)',
  428: 'If-Match is required for this change (PRECONDITION_REQUIRED)',
  429: 'Rate limited; retry after the Retry-After seconds (RATE_LIMITED)',
  431: 'Request header fields too large (HEADERS_TOO_LARGE)',
  503: 'Overloaded or a dependency is unavailable; retry after the Retry-After seconds (OVERLOADED / DEPENDENCY_UNAVAILABLE)',
};

/** Statuses any route can answer: a malformed request, oversized headers, load shedding or a dependency down. */
export const ALWAYS_POSSIBLE_STATUSES = [400, 431, 503] as const;
/** Statuses any route with a JSON body can answer besides. */
export const BODY_STATUSES = [413, 415] as const;

/** A route's documented error responses: the envelope under each status's description (plus those any route has). */
export function errorResponses(...statuses: readonly number[]): Record<number, TSchema> {
  const all = [...new Set([...ALWAYS_POSSIBLE_STATUSES, ...statuses])].sort((a, b) => a - b);
  return Object.fromEntries(
    all.map((status) => [
      status,
      Type.Object(ErrorEnvelope.properties, { description: ERROR_STATUS_DESCRIPTIONS[status] ?? 'Error' }),
    ]),
  );
}

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
