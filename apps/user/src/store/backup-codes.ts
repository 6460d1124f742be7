import type { Queryable } from './db';

export async function replaceBackupCodes(db: Queryable, accountId: string, hashes: readonly Buffer[]): Promise<void> {
  await db.query(`DELETE FROM backup_codes WHERE account_id = $1`, [accountId]);
  await db.query(`INSERT INTO backup_codes (account_id, code_hash) SELECT $1, unnest($2::bytea[])`, [
    accountId,
    hashes,
  ]);
}

/** Spend a backup code: true once per code, false for an unknown or used one (atomic against parallel use). */
export async function useBackupCode(db: Queryable, accountId: string, hash: Buffer): Promise<boolean> {
  const result = await db.query(
    `UPDATE backup_codes SET used_at = now() WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL`,
    [accountId, hash],
  );
  return result.rowCount === 1;
}

export async function unusedBackupCodes(db: Queryable, accountId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM backup_codes WHERE account_id = $1 AND used_at IS NULL`,
    [accountId],
  );
  return rows[0]!.n;
}
