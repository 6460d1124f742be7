import { ADMIN_ROLES, AUTH, type AdminRole } from '@scalefu/contracts';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { AppError } from '../../errors';

/** Who a verified access token speaks for. */
export interface Principal {
  /** Admin account id (`sub`). */
  readonly accountId: string;
  readonly role: AdminRole;
  /** Seconds since the epoch of the last active authentication (login or step-up). */
  readonly authTime: number;
  /** How the account authenticated (RFC 8176 values). */
  readonly amr: readonly string[];
  /** The account's token version when the token was issued; a disable or role change bumps it. */
  readonly tokenVersion: number;
}

export interface AccessTokenVerifierOptions {
  /** Where the public keys come from: the JWKS URL (other services) or the key set itself (the issuer). */
  readonly keys: URL | JSONWebKeySet;
  /** @default AUTH.issuer */
  readonly issuer?: string;
  /** @default AUTH.audience */
  readonly audience?: string;
  /** Tolerated clock skew in seconds (at most 30). @default AUTH.clockSkewSeconds */
  readonly clockSkewSeconds?: number;
  /** Least time between two JWKS fetches, so tokens with made-up `kid`s cannot hammer the issuer. @default 30 000 */
  readonly jwksCooldownMs?: number;
}

export type AccessTokenVerifier = (token: string) => Promise<Principal>;

export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in required') {
    super('UNAUTHORIZED', message, [], { 'www-authenticate': 'Bearer realm="scalefu"' });
  }
}

/**
 * Verifies access tokens: one algorithm, `typ: at+jwt`, `iss`, `aud`, `exp`/`nbf` with bounded skew. A remote JWKS is
 * cached by jose and refetched (rate limited) when a token names an unknown `kid`, which is how key rotation reaches
 * every service without a restart.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const skew = options.clockSkewSeconds ?? AUTH.clockSkewSeconds;
  if (skew < 0 || skew > 30) throw new Error(`clockSkewSeconds must be within 0..30, got ${skew}`);
  const keySet: JWTVerifyGetKey =
    options.keys instanceof URL
      ? createRemoteJWKSet(options.keys, {
          cacheMaxAge: 10 * 60_000,
          cooldownDuration: options.jwksCooldownMs ?? 30_000,
        })
      : createLocalJWKSet(options.keys);
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keySet, {
        algorithms: [AUTH.algorithm],
        issuer: options.issuer ?? AUTH.issuer,
        audience: options.audience ?? AUTH.audience,
        typ: AUTH.accessTokenType,
        clockTolerance: skew,
        requiredClaims: ['sub', 'exp', 'iat', 'auth_time'],
      });
      const role = payload['role'];
      const amr = payload['amr'];
      const ver = payload['ver'];
      const authTime = payload['auth_time'];
      if (
        !ADMIN_ROLES.includes(role as AdminRole) ||
        !Array.isArray(amr) ||
        typeof ver !== 'number' ||
        typeof authTime !== 'number'
      ) {
        throw new UnauthorizedError('Access token is invalid');
      }
      return {
        accountId: payload.sub!,
        role: role as AdminRole,
        authTime,
        amr: amr.map(String),
        tokenVersion: ver,
      };
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new UnauthorizedError('Access token expired');
      // Every other failure (bad signature, alg, kid, typ, claims, malformed) reads the same to the caller.
      throw new UnauthorizedError('Access token is invalid');
    }
  };
}

/** The bearer token of a request, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization ?? '');
  return match?.[1];
}
