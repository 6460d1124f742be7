import type { EVENT_TYPES, EventData, IdentityKind } from '@scalefu/contracts';
import type { RegistrationStatusName } from './registration-status';

/** One identity a person holds: becomes the dedup key `REDIS_KEYS.dedup(kind, value)`. */
export interface IdentityEntry {
  readonly kind: IdentityKind;
  readonly value: string;
}

/**
 * What one event should do to the cache, decided from the event alone. The store applies it atomically against
 * what Redis holds (versions, key owners, tombstones), so the conditional parts live there, in one Lua script.
 */
export interface CachePlan {
  readonly userID: string;
  /** Resource version; the user hash and `hold`/`release` apply only when it is newer than the cached one. */
  readonly version?: number;
  /** User hash fields to write (the whole resource, stringified). */
  readonly user?: Readonly<Record<string, string>>;
  /** Dedup keys to point at this user, without expiry (versioned). */
  readonly hold: readonly IdentityEntry[];
  /** Dedup keys to drop when they still point at this user (versioned; on `remove` always). */
  readonly release: readonly IdentityEntry[];
  /** Rejected registrations: keys to hand to the user who really holds them (when they point at this one or none). */
  readonly redirect?: { readonly owner: string; readonly entries: readonly IdentityEntry[] };
  /** Unversioned release: keys to drop when they still point at this user. */
  readonly releaseOwned: readonly IdentityEntry[];
  /** Registration status to move to, if it is forward (see STATUS_RANK). */
  readonly status?: { readonly value: RegistrationStatusName; readonly updatedAt: string; readonly version?: number };
  /** Delete: drop the user hash, registration status and every key the user holds; tombstone the id. */
  readonly remove: boolean;
}

type UserChanged = EventData<typeof EVENT_TYPES.userCreated>;
type UserDeleted = EventData<typeof EVENT_TYPES.userDeleted>;
type ConfirmationSent = EventData<typeof EVENT_TYPES.confirmationSent>;
type RegistrationRejected = EventData<typeof EVENT_TYPES.registrationRejected>;
type Identity = UserChanged['identity'];
type User = UserChanged['user'];

/** The dedup entries of an identity: e-mail and phone always, national ID when present. */
export function identityEntries(identity: Identity): IdentityEntry[] {
  const entries: IdentityEntry[] = [
    { kind: 'email', value: identity.email },
    { kind: 'phone', value: identity.phone },
  ];
  if (identity.nationalIdHmac) entries.push({ kind: 'nid', value: identity.nationalIdHmac });
  return entries;
}

const sameEntry = (a: IdentityEntry, b: IdentityEntry) => a.kind === b.kind && a.value === b.value;

/** The user hash: every field of the resource as a string; absent optional fields are absent. */
export function userHashFields(user: User): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(user)) {
    if (value !== undefined && value !== null) fields[name] = String(value);
  }
  return fields;
}

const base = { hold: [], release: [], releaseOwned: [], remove: false } as const;

export function planUserCreated(data: UserChanged): CachePlan {
  return planUserChanged(data);
}

/** Created and updated alike: hold the identity now held, release the one held before (if it changed). */
export function planUserUpdated(data: UserChanged): CachePlan {
  return planUserChanged(data);
}

function planUserChanged({ user, identity, previousIdentity }: UserChanged): CachePlan {
  const hold = identityEntries(identity);
  const release = previousIdentity
    ? identityEntries(previousIdentity).filter((old) => !hold.some((now) => sameEntry(now, old)))
    : [];
  return {
    ...base,
    userID: user.userID,
    version: user.version,
    user: userHashFields(user),
    hold,
    release,
    status: { value: user.status, updatedAt: user.updatedAt, version: user.version },
  };
}

export function planUserDeleted({ user, identity }: UserDeleted): CachePlan {
  return { ...base, userID: user.userID, version: user.version, release: identityEntries(identity), remove: true };
}

export function planConfirmationSent(data: ConfirmationSent): CachePlan {
  return { ...base, userID: data.userID, status: { value: 'CONFIRMED', updatedAt: data.sentAt } };
}

const FIELD_KIND: Readonly<Record<RegistrationRejected['conflictingFields'][number], IdentityKind>> = {
  email: 'email',
  phoneNumber: 'phone',
  nationalId: 'nid',
};

/**
 * A registration the database refused as a duplicate: its status becomes DUPLICATE; the identities that clashed
 * belong to the existing user (when known), the ones that did not clash are freed from the refused reservation.
 */
export function planRegistrationRejected(data: RegistrationRejected): CachePlan {
  const conflicting = new Set(data.conflictingFields.map((f) => FIELD_KIND[f]));
  const entries = identityEntries(data.identity);
  const clashed = entries.filter((e) => conflicting.has(e.kind));
  return {
    ...base,
    userID: data.userID,
    releaseOwned: entries.filter((e) => !conflicting.has(e.kind)),
    ...(data.existingUserID ? { redirect: { owner: data.existingUserID, entries: clashed } } : {}),
    status: { value: 'DUPLICATE', updatedAt: data.rejectedAt },
  };
}
