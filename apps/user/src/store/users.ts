import type { NewPerson, PersonFields } from '../domain/person';
import type { StoredUser } from '../domain/user';
import type { UserStatus } from '../domain/user-status';
import { isUniqueViolation, type Queryable } from './db';

export interface UserRow {
  user_id: string;
  name: string;
  email: string;
  email_canonical: string;
  phone_e164: string;
  national_id_hmac: string | null;
  national_id_masked: string | null;
  status: UserStatus;
  version: number;
  created_at: Date;
  updated_at: Date;
  confirmed_at: Date | null;
}

export const COLUMNS = `user_id, name, email, email_canonical, phone_e164, national_id_hmac, national_id_masked,
  status, version, created_at, updated_at, confirmed_at`;

export function fromRow(row: UserRow): StoredUser {
  return {
    userID: row.user_id,
    name: row.name,
    email: row.email,
    emailCanonical: row.email_canonical,
    phoneE164: row.phone_e164,
    nationalIdHmac: row.national_id_hmac,
    nationalIdMasked: row.national_id_masked,
    status: row.status,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    confirmedAt: row.confirmed_at,
  };
}

/** Identity fields as the API names them, per unique constraint. */
export type IdentityField = 'email' | 'phoneNumber' | 'nationalId';
const FIELD_OF_CONSTRAINT: Readonly<Record<string, IdentityField>> = {
  users_email_canonical_key: 'email',
  users_phone_e164_key: 'phoneNumber',
  users_national_id_hmac_key: 'nationalId',
};

/** Another user already holds one of these identity keys. */
export class IdentityTakenError extends Error {
  override readonly name = 'IdentityTakenError';
  constructor(readonly field: IdentityField | undefined) {
    super(`identity already held by another user${field ? ` (${field})` : ''}`);
  }
}

function rethrowIdentityTaken(error: unknown): never {
  if (isUniqueViolation(error) && error.constraint && error.constraint in FIELD_OF_CONSTRAINT) {
    throw new IdentityTakenError(FIELD_OF_CONSTRAINT[error.constraint]);
  }
  throw error;
}

/**
 * Insert a user unless the id or any identity key is taken. Returns the row, or undefined when nothing was inserted
 * (the caller tells "same user again" from "another user holds the identity"). Never raises a unique violation,
 * so it is safe inside a larger transaction.
 */
export async function insertUserIfAbsent(
  db: Queryable,
  userID: string,
  person: NewPerson,
): Promise<StoredUser | undefined> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (user_id, name, email, email_canonical, phone_e164, national_id_hmac, national_id_masked)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      userID,
      person.name,
      person.email,
      person.emailCanonical,
      person.phoneE164,
      person.nationalIdHmac ?? null,
      person.nationalIdMasked ?? null,
    ],
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** Insert a new user (admin create); throws `IdentityTakenError` when another user holds a key. */
export async function insertUser(db: Queryable, userID: string, person: NewPerson): Promise<StoredUser> {
  try {
    const { rows } = await db.query<UserRow>(
      `INSERT INTO users (user_id, name, email, email_canonical, phone_e164, national_id_hmac, national_id_masked)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING ${COLUMNS}`,
      [
        userID,
        person.name,
        person.email,
        person.emailCanonical,
        person.phoneE164,
        person.nationalIdHmac ?? null,
        person.nationalIdMasked ?? null,
      ],
    );
    return fromRow(rows[0]!);
  } catch (error) {
    rethrowIdentityTaken(error);
  }
}

export async function findUser(db: Queryable, userID: string, forUpdate = false): Promise<StoredUser | undefined> {
  const { rows } = await db.query<UserRow>(
    `SELECT ${COLUMNS} FROM users WHERE user_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [userID],
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}

export interface Conflict {
  /** The first other user found holding a key (e-mail first, then phone, then national ID). */
  readonly existingUserID: string;
  readonly fields: IdentityField[];
}

/** Which other users hold any of these identity keys. */
export async function findConflict(
  db: Queryable,
  identity: { email: string; phone: string; nationalIdHmac?: string | undefined },
  exceptUserID: string,
): Promise<Conflict | undefined> {
  const { rows } = await db.query<{ user_id: string; email: boolean; phone: boolean; nid: boolean }>(
    `SELECT user_id,
            email_canonical = $1 AS email,
            phone_e164 = $2 AS phone,
            coalesce(national_id_hmac = $3, false) AS nid
       FROM users
      WHERE user_id <> $4 AND (email_canonical = $1 OR phone_e164 = $2 OR national_id_hmac = $3)
      ORDER BY (email_canonical = $1) DESC, (phone_e164 = $2) DESC`,
    [identity.email, identity.phone, identity.nationalIdHmac ?? null, exceptUserID],
  );
  if (rows.length === 0) return undefined;
  const fields = new Set<IdentityField>();
  for (const row of rows) {
    if (row.email) fields.add('email');
    if (row.phone) fields.add('phoneNumber');
    if (row.nid) fields.add('nationalId');
  }
  return {
    existingUserID: rows[0]!.user_id,
    fields: (['email', 'phoneNumber', 'nationalId'] as const).filter((f) => fields.has(f)),
  };
}

export async function setStatus(db: Queryable, userID: string, status: UserStatus, at: Date): Promise<StoredUser> {
  const { rows } = await db.query<UserRow>(
    `UPDATE users
        SET status = $2, version = version + 1, updated_at = now(),
            confirmed_at = CASE WHEN $2 = 'CONFIRMED' THEN $3::timestamptz ELSE confirmed_at END
      WHERE user_id = $1
      RETURNING ${COLUMNS}`,
    [userID, status, at],
  );
  if (!rows[0]) throw new Error(`user ${userID} vanished inside its transaction`);
  return fromRow(rows[0]);
}

/** Write new person fields and bump the version; throws `IdentityTakenError` when another user holds a new key. */
export async function updatePerson(db: Queryable, userID: string, person: PersonFields): Promise<StoredUser> {
  try {
    const { rows } = await db.query<UserRow>(
      `UPDATE users
          SET name = $2, email = $3, email_canonical = $4, phone_e164 = $5, version = version + 1, updated_at = now()
        WHERE user_id = $1
        RETURNING ${COLUMNS}`,
      [userID, person.name, person.email, person.emailCanonical, person.phoneE164],
    );
    if (!rows[0]) throw new Error(`user ${userID} vanished inside its transaction`);
    return fromRow(rows[0]);
  } catch (error) {
    rethrowIdentityTaken(error);
  }
}

/** Delete a user and leave a tombstone so replayed commands cannot recreate it. */
export async function deleteUser(db: Queryable, userID: string): Promise<Date> {
  await db.query('DELETE FROM users WHERE user_id = $1', [userID]);
  const { rows } = await db.query<{ deleted_at: Date }>(
    `INSERT INTO user_tombstones (user_id) VALUES ($1)
     ON CONFLICT (user_id) DO UPDATE SET deleted_at = excluded.deleted_at
     RETURNING deleted_at`,
    [userID],
  );
  return rows[0]!.deleted_at;
}

export async function isTombstoned(db: Queryable, userID: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM user_tombstones WHERE user_id = $1', [userID]);
  return (rowCount ?? 0) > 0;
}

export async function userExists(db: Queryable, userID: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM users WHERE user_id = $1', [userID]);
  return (rowCount ?? 0) > 0;
}

/** One registration for `insertUsersIfAbsent`. */
export interface NewUser {
  readonly userID: string;
  readonly person: NewPerson;
}

/**
 * `insertUserIfAbsent` for many in one statement. Rows are tried in the given order, so of two that share an id or an
 * identity key the first is stored and the second skipped — as if inserted one by one. Returns the stored rows.
 */
export async function insertUsersIfAbsent(db: Queryable, users: readonly NewUser[]): Promise<StoredUser[]> {
  if (users.length === 0) return [];
  const column = <T>(pick: (p: NewPerson) => T) => users.map((u) => pick(u.person));
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (user_id, name, email, email_canonical, phone_e164, national_id_hmac, national_id_masked)
     SELECT u, n, e, ec, ph, nid, nm
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
            WITH ORDINALITY AS r(u, n, e, ec, ph, nid, nm, i)
      ORDER BY i
     ON CONFLICT DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      users.map((u) => u.userID),
      column((p) => p.name),
      column((p) => p.email),
      column((p) => p.emailCanonical),
      column((p) => p.phoneE164),
      column((p) => p.nationalIdHmac ?? null),
      column((p) => p.nationalIdMasked ?? null),
    ],
  );
  return rows.map(fromRow);
}

/** The ids among `userIDs` that have a row in `table` (users or tombstones). */
async function presentIn(db: Queryable, table: 'users' | 'user_tombstones', userIDs: readonly string[]) {
  if (userIDs.length === 0) return new Set<string>();
  const { rows } = await db.query<{ user_id: string }>(`SELECT user_id FROM ${table} WHERE user_id = ANY($1::uuid[])`, [
    userIDs,
  ]);
  return new Set(rows.map((r) => r.user_id));
}

/** `isTombstoned` for many: the deleted ids among `userIDs`. */
export const tombstonedAmong = (db: Queryable, userIDs: readonly string[]) => presentIn(db, 'user_tombstones', userIDs);

/** `userExists` for many: the stored ids among `userIDs`. */
export const existingAmong = (db: Queryable, userIDs: readonly string[]) => presentIn(db, 'users', userIDs);

/** A user holding one or more identity keys of a registration (`findConflict`'s rows, for many registrations). */
export interface KeyHolder {
  /** Index of the registration in the `holdersOf` argument. */
  readonly index: number;
  readonly userID: string;
  readonly email: boolean;
  readonly phone: boolean;
  readonly nid: boolean;
}

/** Every other user holding a key of each registration, in one query; `conflictOf` turns them into a `Conflict`. */
export async function holdersOf(
  db: Queryable,
  registrations: readonly { userID: string; identity: { email: string; phone: string; nationalIdHmac?: string } }[],
): Promise<KeyHolder[]> {
  if (registrations.length === 0) return [];
  const { rows } = await db.query<{ i: string; user_id: string; email: boolean; phone: boolean; nid: boolean }>(
    `SELECT c.i, u.user_id,
            u.email_canonical = c.email AS email,
            u.phone_e164 = c.phone AS phone,
            coalesce(u.national_id_hmac = c.nid, false) AS nid
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS c(user_id, email, phone, nid, i)
       JOIN users u
         ON u.user_id <> c.user_id
        AND (u.email_canonical = c.email OR u.phone_e164 = c.phone OR u.national_id_hmac = c.nid)`,
    [
      registrations.map((r) => r.userID),
      registrations.map((r) => r.identity.email),
      registrations.map((r) => r.identity.phone),
      registrations.map((r) => r.identity.nationalIdHmac ?? null),
    ],
  );
  return rows.map((r) => ({ index: Number(r.i) - 1, userID: r.user_id, email: r.email, phone: r.phone, nid: r.nid }));
}

/** The `Conflict` `findConflict` would report for these holders: e-mail holder first, then phone; fields in order. */
export function conflictOf(holders: readonly KeyHolder[]): Conflict | undefined {
  if (holders.length === 0) return undefined;
  const first = [...holders].sort((a, b) => Number(b.email) - Number(a.email) || Number(b.phone) - Number(a.phone))[0]!;
  const fields = new Set<IdentityField>();
  for (const h of holders) {
    if (h.email) fields.add('email');
    if (h.phone) fields.add('phoneNumber');
    if (h.nid) fields.add('nationalId');
  }
  return {
    existingUserID: first.userID,
    fields: (['email', 'phoneNumber', 'nationalId'] as const).filter((f) => fields.has(f)),
  };
}

/**
 * CREATED → CONFIRMED by primary key. `<> 'CONFIRMED'` means `= 'CREATED'` (the table's CHECK allows no third status,
 * and confirm-users-plan.test.ts keeps it so), but no index can serve it: with `=`, the planner, seeing few CREATED
 * rows, walked every CREATED entry of `users_status_created_at_idx`, dead ones too, for each batch (README,
 * Performance).
 */
export const CONFIRM_USERS = `UPDATE users
        SET status = 'CONFIRMED', version = version + 1, updated_at = now(), confirmed_at = c.at
       FROM unnest($1::uuid[], $2::timestamptz[]) AS c(user_id, at)
      WHERE users.user_id = c.user_id AND users.status <> 'CONFIRMED'
      RETURNING ${COLUMNS.replace(/(\w+)/g, 'users.$1')}`;

/**
 * CREATED → CONFIRMED for many users in one statement (`setStatus` with the `onConfirmationSent` rule): returns the
 * rows it changed, each once even when an id repeats; users already CONFIRMED or absent are left alone.
 */
export async function confirmUsers(
  db: Queryable,
  confirmations: readonly { userID: string; at: Date }[],
): Promise<StoredUser[]> {
  if (confirmations.length === 0) return [];
  const { rows } = await db.query<UserRow>(CONFIRM_USERS, [
    confirmations.map((c) => c.userID),
    confirmations.map((c) => c.at),
  ]);
  return rows.map(fromRow);
}
