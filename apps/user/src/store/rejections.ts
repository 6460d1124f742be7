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
