import { createHmac } from 'node:crypto';

/**
 * Keyed hash of a national ID (HMAC-SHA256, hex): what dedup and the database's unique constraint use, so the ID
 * itself is never stored. Keyed, because 13-digit IDs with a check digit are few enough to brute-force a plain hash.
 */
export function nationalIdHmac(nationalId: string, key: string): string {
  if (key.length < 32) throw new Error('national ID HMAC key must be at least 32 characters');
  return createHmac('sha256', key).update(nationalId).digest('hex');
}
