/**
 * Admin sign-in facts shared by the user service (which issues tokens), the kit's JWT plugin (which checks them in
 * every service), the admin web and the tests. Changing one here changes it everywhere.
 */
export const AUTH = {
  /** `iss` of every access token. */
  issuer: 'scalefu-user',
  /** `aud` of access tokens: the admin APIs. */
  audience: 'scalefu-admin-api',
  /** The one signing algorithm (Ed25519); verifiers accept nothing else. */
  algorithm: 'EdDSA',
  /** `typ` header of access tokens (RFC 9068). */
  accessTokenType: 'at+jwt',
  /** `typ` header of the MFA challenge token: only `mfa/verify` accepts it. */
  challengeTokenType: 'mfa-challenge+jwt',
  /** `typ` header of the trusted-device cookie's token. */
  deviceTokenType: 'device+jwt',
  /** Clock skew tolerated on `exp` / `nbf`, in seconds. */
  clockSkewSeconds: 30,
  /** Cookie holding the opaque refresh token (HttpOnly, Secure, SameSite=Strict, Path = the auth prefix). */
  refreshCookie: 'scalefu_refresh',
  /** Cookie holding the signed "trust this device for 30 days" token. */
  deviceCookie: 'scalefu_device',
} as const;

/** Lifetime defaults, in seconds; each is a config variable of the user service so tests can run in seconds. */
export const AUTH_LIFETIMES = {
  accessToken: 10 * 60,
  challenge: 5 * 60,
  refreshIdle: 8 * 60 * 60,
  refreshAbsolute: 24 * 60 * 60,
  /** How recent an MFA must be for deleting a user or changing a role. */
  stepUp: 5 * 60,
  trustedDevice: 30 * 24 * 60 * 60,
} as const;

/** Roles of admin accounts: `admin` may do everything, `viewer` only reads (contact data masked). */
export const ADMIN_ROLES = ['admin', 'viewer'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** `amr` values (RFC 8176) plus `device` for a sign-in that skipped the code on a trusted device. */
export const AMR = { password: 'pwd', otp: 'otp', device: 'device' } as const;

/** Public routes of admin access, one place for the service, the edge route table and the web. */
export const AUTH_ROUTES = {
  prefix: '/api/v1/auth',
  login: '/api/v1/auth/login',
  mfaVerify: '/api/v1/auth/mfa/verify',
  stepUp: '/api/v1/auth/mfa/step-up',
  totpEnrol: '/api/v1/auth/mfa/totp/enrol',
  totpActivate: '/api/v1/auth/mfa/totp/activate',
  refresh: '/api/v1/auth/refresh',
  logout: '/api/v1/auth/logout',
  devices: '/api/v1/auth/devices',
  accounts: '/api/v1/auth/accounts',
  audit: '/api/v1/audit',
  jwks: '/.well-known/jwks.json',
} as const;
