import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Format version, so a later key rotation can tell sealed values apart. */
const VERSION = 'v1';

/**
 * Seal a TOTP secret for the database with AES-256-GCM. The account id is authenticated data, so a sealed secret
 * copied onto another account's row does not open. A database dump alone yields no usable secret.
 */
export function sealSecret(secret: string, key: Buffer, accountId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(accountId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, sealed, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Open a sealed secret; undefined when it was not sealed with this key for this account (never throws). */
export function openSecret(sealed: string, key: Buffer, accountId: string): string | undefined {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== VERSION || !iv || !body || !tag) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      .setAAD(Buffer.from(accountId))
      .setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
