import { AUTH, type AdminRole } from '@scalefu/contracts';
import { createLocalJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { createHash, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import {
  createAccessTokenVerifier,
  privateKeyOf,
  publicJwks,
  UnauthorizedError,
  type AccessTokenVerifier,
  type SigningKeySet,
} from '@scalefu/service-kit';

/** Lifetimes the issuer needs, in seconds. */
export interface TokenLifetimes {
  readonly accessToken: number;
  readonly challenge: number;
  readonly trustedDevice: number;
}

export interface AccessClaims {
  readonly accountId: string;
  readonly role: AdminRole;
  readonly tokenVersion: number;
  /** Seconds since the epoch. */
  readonly authTime: number;
  readonly amr: readonly string[];
}

/** Signs and checks everything the user service mints: access tokens, MFA challenges, trusted-device cookies. */
export class TokenIssuer {
  private readonly signingKey: KeyObject;
  private readonly kid: string;
  private readonly keySet: JWTVerifyGetKey;
  readonly jwks;
  readonly verifyAccessToken: AccessTokenVerifier;

  constructor(
    keys: SigningKeySet,
    readonly lifetimes: TokenLifetimes,
  ) {
    const current = keys.keys[0]!;
    this.signingKey = privateKeyOf(current);
    this.kid = current.kid;
    this.jwks = publicJwks(keys);
    this.keySet = createLocalJWKSet(this.jwks);
    this.verifyAccessToken = createAccessTokenVerifier({ keys: this.jwks });
  }

  private jwt(typ: string, payload: Record<string, unknown>, subject: string, audience: string, ttl: number) {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: AUTH.algorithm, kid: this.kid, typ })
      .setIssuer(AUTH.issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${ttl}s`)
      .sign(this.signingKey);
  }

  issueAccessToken(claims: AccessClaims): Promise<string> {
    const payload = { role: claims.role, ver: claims.tokenVersion, auth_time: claims.authTime, amr: claims.amr };
    return this.jwt(AUTH.accessTokenType, payload, claims.accountId, AUTH.audience, this.lifetimes.accessToken);
  }

  /** The single-purpose token between a correct password and a correct code; only `mfa/verify` accepts it. */
  issueChallenge(accountId: string): Promise<string> {
    return this.jwt(AUTH.challengeTokenType, {}, accountId, AUTH.issuer, this.lifetimes.challenge);
  }

  /** The challenge's account and jti, or 401. */
  verifyChallenge(token: string): Promise<{ accountId: string; jti: string; expiresAt: number }> {
    return this.verifyOwn(token, AUTH.challengeTokenType, 'MFA challenge expired or invalid; sign in again');
  }

  issueDeviceToken(accountId: string, deviceId: string): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: AUTH.algorithm, kid: this.kid, typ: AUTH.deviceTokenType })
      .setIssuer(AUTH.issuer)
      .setAudience(AUTH.issuer)
      .setSubject(accountId)
      .setJti(deviceId)
      .setIssuedAt()
      .setExpirationTime(`${this.lifetimes.trustedDevice}s`)
      .sign(this.signingKey);
  }

  /** The device cookie's account and device id, or undefined when it is not a valid one (then MFA is asked). */
  async verifyDeviceToken(token: string): Promise<{ accountId: string; deviceId: string } | undefined> {
    try {
      const { accountId, jti } = await this.verifyOwn(token, AUTH.deviceTokenType, 'invalid device');
      return { accountId, deviceId: jti };
    } catch {
      return undefined;
    }
  }

  private async verifyOwn(token: string, typ: string, message: string) {
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        algorithms: [AUTH.algorithm],
        issuer: AUTH.issuer,
        audience: AUTH.issuer,
        typ,
        clockTolerance: AUTH.clockSkewSeconds,
        requiredClaims: ['sub', 'jti', 'exp'],
      });
      return { accountId: payload.sub!, jti: payload.jti!, expiresAt: payload.exp! };
    } catch {
      throw new UnauthorizedError(message);
    }
  }
}

/** An opaque 256-bit token (refresh tokens) and the SHA-256 the database keeps instead of it. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
