import { AUTH } from '@scalefu/contracts';
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** An Ed25519 private key as a JWK (RFC 8037), with its `kid`. */
export interface SigningJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly d: string;
  readonly kid: string;
  readonly alg: typeof AUTH.algorithm;
}

/** What `JWT_SIGNING_KEY` holds: `{"keys":[current, previous?]}`, newest first. */
export interface SigningKeySet {
  readonly keys: readonly SigningJwk[];
}

export interface PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly alg: string;
  readonly use: 'sig';
}

/** RFC 7638 thumbprint: the `kid` is derived from the key, so it never collides and needs no registry. */
function thumbprint(x: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x }))
    .digest('base64url');
}

export function generateSigningKey(): SigningJwk {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' }) as { x: string; d: string };
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, kid: thumbprint(jwk.x), alg: AUTH.algorithm };
}

/** Rotation: a new current key; the old current becomes the previous one (still published, no longer signing). */
export function rotateKeySet(set: SigningKeySet | undefined): SigningKeySet {
  return { keys: [generateSigningKey(), ...(set?.keys.slice(0, 1) ?? [])] };
}

/** Parse and check `JWT_SIGNING_KEY`; the message names the problem, never the key material. */
export function parseSigningKeySet(text: string): SigningKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('JWT signing key set is not JSON (expected {"keys":[{kty:"OKP",crv:"Ed25519",…}]})');
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > 2) {
    throw new Error('JWT signing key set must hold one or two keys (current, previous)');
  }
  return {
    keys: keys.map((key: Partial<SigningJwk>, i) => {
      if (key.kty !== 'OKP' || key.crv !== 'Ed25519' || typeof key.x !== 'string' || typeof key.d !== 'string') {
        throw new Error(`JWT signing key ${i} is not an Ed25519 private JWK`);
      }
      return { kty: 'OKP', crv: 'Ed25519', x: key.x, d: key.d, kid: key.kid ?? thumbprint(key.x), alg: AUTH.algorithm };
    }),
  };
}

export function publicJwks(set: SigningKeySet): { keys: PublicJwk[] } {
  return { keys: set.keys.map(({ kty, crv, x, kid, alg }) => ({ kty, crv, x, kid, alg, use: 'sig' as const })) };
}

export function privateKeyOf(jwk: SigningJwk): KeyObject {
  return createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, format: 'jwk' });
}
