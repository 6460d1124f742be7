/**
 * Redis key layout shared by the onboarder (reserves, reads status), the cache-updater (keeps keys true) and
 * the rate limiter. Redis is a cache: every value here can be rebuilt from Postgres and the event log.
 */
export const REDIS_PREFIX = 'scalefu';

/** Kinds of identity a person has exactly one of. */
export type IdentityKind = 'email' | 'phone' | 'nid';

export const REDIS_KEYS = {
  /** String: userID holding this identity (a reservation while ACCEPTED, permanent once CREATED). */
  dedup: (kind: IdentityKind, canonicalValue: string) => `${REDIS_PREFIX}:dedup:${kind}:${canonicalValue}`,
  /** Hash: `status`, `updatedAt`, `version` of a registration (what `GET /api/v1/registrations/{id}` reads). */
  registration: (userID: string) => `${REDIS_PREFIX}:registration:${userID}`,
  /** Hash: the cached user resource (event-notification payload) plus `version`. */
  user: (userID: string) => `${REDIS_PREFIX}:user:${userID}`,
  /** Counter: requests of one client in one fixed rate-limit window. */
  rateLimit: (clientKey: string, windowStart: number) => `${REDIS_PREFIX}:ratelimit:${clientKey}:${windowStart}`,
  /** String: present while a deleted user's late events must be ignored (written by the cache-updater). */
  tombstone: (userID: string) => `${REDIS_PREFIX}:tombstone:${userID}`,
  /** Set: names of the dedup keys that point at this user, so a delete or update can release all of them. */
  heldDedupKeys: (userID: string) => `${REDIS_PREFIX}:held:${userID}`,
  /** String: the notifier's per-user send state (`sending:<token>` lease or `sent:<json>`), so one user gets one mail. */
  confirmationSend: (userID: string) => `${REDIS_PREFIX}:confirmation-send:${userID}`,
  /** String: marks an event id as applied by a consumer group whose effect lives in Redis or SMTP. */
  processedEvent: (consumer: string, eventId: string) => `${REDIS_PREFIX}:processed:${consumer}:${eventId}`,
  /** Counter: recent sign-in or MFA failures of one subject (hashed e-mail, account id or client IP) in one scope. */
  authFailures: (scope: string, subject: string) => `${REDIS_PREFIX}:auth:fail:${scope}:${subject}`,
  /** String with a TTL: present while that subject is locked out; its TTL is the `Retry-After`. */
  authLock: (scope: string, subject: string) => `${REDIS_PREFIX}:auth:lock:${scope}:${subject}`,
  /** String: a used MFA challenge id, kept until the challenge would have expired (one use each). */
  usedChallenge: (jti: string) => `${REDIS_PREFIX}:auth:challenge:${jti}`,
} as const;

/** How long an unconfirmed reservation lives if its command were never processed (Kafka keeps it 7 days). */
export const RESERVATION_TTL_SECONDS = 7 * 24 * 60 * 60;
/** How long registration statuses and processed-event markers are kept. */
export const STATUS_TTL_SECONDS = 30 * 24 * 60 * 60;
