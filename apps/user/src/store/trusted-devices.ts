import { randomUUID } from 'node:crypto';
import type { Queryable } from './db';

export interface TrustedDevice {
  readonly deviceId: string;
  readonly label: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export async function addTrustedDevice(
  db: Queryable,
  accountId: string,
  label: string,
  seconds: number,
): Promise<string> {
  const deviceId = randomUUID();
  await db.query(
    `INSERT INTO trusted_devices (device_id, account_id, label, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
    [deviceId, accountId, label.slice(0, 200), seconds],
  );
  return deviceId;
}

export async function isDeviceTrusted(db: Queryable, accountId: string, deviceId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM trusted_devices
      WHERE device_id = $1 AND account_id = $2 AND revoked_at IS NULL AND expires_at > now()`,
    [deviceId, accountId],
  );
  return rowCount === 1;
}

export async function listTrustedDevices(db: Queryable, accountId: string): Promise<TrustedDevice[]> {
  const { rows } = await db.query<{ device_id: string; label: string; created_at: Date; expires_at: Date }>(
    `SELECT device_id, label, created_at, expires_at FROM trusted_devices
      WHERE account_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at DESC`,
    [accountId],
  );
  return rows.map((r) => ({ deviceId: r.device_id, label: r.label, createdAt: r.created_at, expiresAt: r.expires_at }));
}

export async function revokeTrustedDevice(db: Queryable, accountId: string, deviceId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE trusted_devices SET revoked_at = now() WHERE device_id = $1 AND account_id = $2 AND revoked_at IS NULL`,
    [deviceId, accountId],
  );
  return rowCount === 1;
}
