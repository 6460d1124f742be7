import type { Queryable } from './db';
import type { IdentityField } from './users';

/** Record that a registration was refused as a duplicate; false when it already was (redelivery). */
export async function recordRejection(
  db: Queryable,
  userID: string,
  existingUserID: string | undefined,
  fields: readonly IdentityField[],
): Promise<{ recorded: boolean; rejectedAt: Date }> {
  const { rows } = await db.query<{ rejected_at: Date }>(
    `INSERT INTO registration_rejections (user_id, existing_user_id, conflicting_fields)
     VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING RETURNING rejected_at`,
    [userID, existingUserID ?? null, fields],
  );
  return rows[0] ? { recorded: true, rejectedAt: rows[0].rejected_at } : { recorded: false, rejectedAt: new Date() };
}

export async function findRejection(
  db: Queryable,
  userID: string,
): Promise<{ existingUserID: string | null; fields: IdentityField[] } | undefined> {
  const { rows } = await db.query<{ existing_user_id: string | null; conflicting_fields: IdentityField[] }>(
    'SELECT existing_user_id, conflicting_fields FROM registration_rejections WHERE user_id = $1',
    [userID],
  );
  return rows[0] ? { existingUserID: rows[0].existing_user_id, fields: rows[0].conflicting_fields } : undefined;
}

/** One refused registration for `recordRejections`. */
export interface NewRejection {
  readonly userID: string;
  readonly existingUserID: string;
  readonly fields: readonly IdentityField[];
}

/**
 * `recordRejection` for many in one statement, in the given order: the rejection time of each user id recorded now.
 * An id already recorded (earlier, or earlier in `rejections`) is absent from the result.
 */
export async function recordRejections(db: Queryable, rejections: readonly NewRejection[]): Promise<Map<string, Date>> {
  if (rejections.length === 0) return new Map();
  const { rows } = await db.query<{ user_id: string; rejected_at: Date }>(
    `INSERT INTO registration_rejections (user_id, existing_user_id, conflicting_fields)
     SELECT u, x, string_to_array(f, ',')
       FROM unnest($1::uuid[], $2::uuid[], $3::text[]) WITH ORDINALITY AS r(u, x, f, i)
      ORDER BY i
     ON CONFLICT (user_id) DO NOTHING RETURNING user_id, rejected_at`,
    [
      rejections.map((r) => r.userID),
      rejections.map((r) => r.existingUserID),
      rejections.map((r) => r.fields.join(',')),
    ],
  );
  return new Map(rows.map((r) => [r.user_id, r.rejected_at]));
}
