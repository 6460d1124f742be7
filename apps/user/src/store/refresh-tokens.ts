import { inTransaction, type PostgresPool } from '@scalefu/service-kit';
import { randomUUID } from 'node:crypto';
import { newOpaqueToken, sha256 } from '../domain/auth/tokens';
import type { Queryable } from './db';

export interface RefreshLifetimes {
  /** Seconds a token stays valid unused. */
  readonly idle: number;
  /** Seconds a family lives from sign-in, however often it is refreshed. */
  readonly absolute: number;
}

export interface FamilyInfo {
  readonly familyId: string;
  readonly accountId: string;
  readonly authTime: Date;
  readonly amr: readonly string[];
}

export type RotationResult =
  | { readonly kind: 'rotated'; readonly token: string; readonly family: FamilyInfo }
  /** A token that was already rotated came back: the family is now revoked. */
  | { readonly kind: 'reused'; readonly family: FamilyInfo }
  | { readonly kind: 'invalid' };

async function insertToken(db: Queryable, familyId: string, idleSeconds: number): Promise<string> {
  const token = newOpaqueToken();
  await db.query(
    `INSERT INTO refresh_tokens (token_hash, family_id, idle_expires_at)
     VALUES ($1, $2, now() + make_interval(secs => $3))`,
    [sha256(token), familyId, idleSeconds],
  );
  return token;
}

export interface NewFamily {
  readonly accountId: string;
  readonly authTime: Date;
  readonly amr: readonly string[];
}

/** A new family for a completed sign-in; returns its first refresh token (only its hash is stored). */
export async function startFamily(pool: PostgresPool, family: NewFamily, lifetimes: RefreshLifetimes): Promise<string> {
  return inTransaction(pool, (tx) => startFamilyIn(tx, family, lifetimes));
}

/** `startFamily` inside the caller's transaction (so a family can start together with what earned it). */
export async function startFamilyIn(tx: Queryable, family: NewFamily, lifetimes: RefreshLifetimes): Promise<string> {
  const familyId = randomUUID();
  await tx.query(
    `INSERT INTO refresh_families (family_id, account_id, auth_time, amr, absolute_expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
    [familyId, family.accountId, family.authTime, family.amr, lifetimes.absolute],
  );
  return insertToken(tx, familyId, lifetimes.idle);
}

interface Row {
  family_id: string;
  account_id: string;
  auth_time: Date;
  amr: string[];
  rotated_at: Date | null;
  token_live: boolean;
  family_live: boolean;
}

/**
 * Rotate a refresh token. The row lock serialises parallel refreshes of one token: the first rotates, every later
 * one sees it rotated and is treated as re-use, which revokes the family (including the token just issued).
 */
export async function rotateRefreshToken(
  pool: PostgresPool,
  token: string,
  idleSeconds: number,
): Promise<RotationResult> {
  return inTransaction(pool, async (tx) => {
    const { rows } = await tx.query<Row>(
      `SELECT f.family_id, f.account_id, f.auth_time, f.amr, t.rotated_at,
              t.idle_expires_at > now() AS token_live,
              f.revoked_at IS NULL AND f.absolute_expires_at > now() AS family_live
         FROM refresh_tokens t JOIN refresh_families f USING (family_id)
        WHERE t.token_hash = $1
        FOR UPDATE OF t, f`,
      [sha256(token)],
    );
    const row = rows[0];
    if (!row || !row.family_live) return { kind: 'invalid' as const };
    const family = { familyId: row.family_id, accountId: row.account_id, authTime: row.auth_time, amr: row.amr };
    if (row.rotated_at) {
      await revokeFamily(tx, row.family_id, 'reuse');
      return { kind: 'reused' as const, family };
    }
    if (!row.token_live) return { kind: 'invalid' as const };
    await tx.query(`UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = $1`, [sha256(token)]);
    return { kind: 'rotated' as const, token: await insertToken(tx, row.family_id, idleSeconds), family };
  });
}

export async function revokeFamily(db: Queryable, familyId: string, reason: string): Promise<void> {
  await db.query(
    `UPDATE refresh_families SET revoked_at = now(), revoke_reason = $2 WHERE family_id = $1 AND revoked_at IS NULL`,
    [familyId, reason],
  );
}

/** Logout: revoke the family the token belongs to; the account id, or undefined for an unknown token. */
export async function revokeFamilyOfToken(db: Queryable, token: string): Promise<string | undefined> {
  const { rows } = await db.query<{ account_id: string }>(
    `UPDATE refresh_families f SET revoked_at = coalesce(f.revoked_at, now()), revoke_reason = coalesce(f.revoke_reason, 'logout')
       FROM refresh_tokens t
      WHERE t.family_id = f.family_id AND t.token_hash = $1
      RETURNING f.account_id`,
    [sha256(token)],
  );
  return rows[0]?.account_id;
}

/** Every live family of an account (disable, MFA reset). */
export async function revokeAccountFamilies(db: Queryable, accountId: string, reason: string): Promise<void> {
  await db.query(
    `UPDATE refresh_families SET revoked_at = now(), revoke_reason = $2 WHERE account_id = $1 AND revoked_at IS NULL`,
    [accountId, reason],
  );
}
