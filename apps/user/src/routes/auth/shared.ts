import { authEventOf } from '../../domain/auth/auth-event';
import { AMR, AUTH, AUTH_ROUTES, type AdminRole } from '@scalefu/contracts';
import {
  AppError,
  UnauthorizedError,
  bearerToken,
  type Logger,
  type PostgresPool,
  type Principal,
} from '@scalefu/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
import { Type } from 'typebox';
import type { TokenIssuer } from '../../domain/auth/tokens';
import { openSecret } from '../../domain/auth/secret-seal';
import { matchingStep } from '../../domain/auth/totp';
import { backupCodeHash } from '../../domain/auth/backup-codes';
import { acceptTotpStep, activeTokenVersion, recordLogin, type AdminAccount } from '../../store/admin-accounts';
import { audit, type AuditEvent } from '../../store/audit';
import type { AuthThrottle } from '../../store/auth-throttle';
import { useBackupCode } from '../../store/backup-codes';
import { startFamily, type RefreshLifetimes } from '../../store/refresh-tokens';
import { errorResponses } from '../shared';

export const AUTH_TAGS = ['auth'];

/** What the auth routes need. */
export interface AuthDeps {
  readonly pool: PostgresPool;
  readonly redis: Redis;
  readonly tokens: TokenIssuer;
  readonly throttle: AuthThrottle;
  readonly logger: Logger;
  readonly refresh: RefreshLifetimes;
  readonly stepUpSeconds: number;
  readonly trustedDeviceSeconds: number;
  /** Origins allowed on the cookie endpoints (CSRF check; the global CORS plugin is separate). */
  readonly allowedOrigins: ReadonlySet<string>;
  readonly cookieSecure: boolean;
  /** AES-256 key sealing TOTP secrets at rest. */
  readonly mfaKey: Buffer;
  /** Keys the salts of unknown e-mails' dummy hashes (see `dummyPasswordHashFor`); same on every replica. */
  readonly dummySaltKey: Buffer;
  /** `scalefu_auth_events_total{event,outcome}` (the kit's counter): sign-in events the audit trail records, as a rate. */
  readonly events: Counter<'event' | 'outcome'>;
}

export { errorResponses };

/** A successful sign-in step; `next` tells the web what to show. */
export const SessionEnvelope = Type.Object({
  status: Type.Literal('success'),
  data: Type.Object({
    next: Type.Union([Type.Literal('mfa'), Type.Literal('enrol'), Type.Literal('done')], {
      description: 'mfa: send a code with challengeToken to mfa/verify; enrol: an admin must enrol TOTP; done',
    }),
    challengeToken: Type.Optional(Type.String({ description: 'single-purpose, for mfa/verify only' })),
    accessToken: Type.Optional(Type.String({ description: 'JWT (EdDSA, typ at+jwt); send as Authorization: Bearer' })),
    tokenType: Type.Optional(Type.Literal('Bearer')),
    expiresIn: Type.Integer({ description: 'seconds until the token in this answer expires' }),
    role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('viewer')])),
  }),
});

export const CodeField = Type.String({
  minLength: 6,
  maxLength: 16,
  // ASCII only, so the length JSON Schema counts (code points) and the one the server checks agree.
  pattern: '^[0-9A-Za-z -]{6,16}$',
  description: 'a 6-digit TOTP code or a backup code (xxxxx-xxxxx; case, spaces and dashes ignored)',
});

/** Audit context of a request: who, from where, which request. */
export function auditOf(request: FastifyRequest, event: Omit<AuditEvent, 'clientIp' | 'requestId'>): AuditEvent {
  return { ...event, clientIp: request.ip, requestId: request.id };
}

export async function record(
  deps: AuthDeps,
  request: FastifyRequest,
  event: Omit<AuditEvent, 'clientIp' | 'requestId'>,
): Promise<void> {
  await audit(deps.pool, deps.logger, auditOf(request, event));
  const counted = authEventOf(event.action);
  if (counted) deps.events.inc({ event: counted, outcome: event.outcome });
}

/** Cookies the auth routes read, parsed without a dependency (names and values are URL-safe). */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function setCookie(
  deps: AuthDeps,
  reply: FastifyReply,
  name: string,
  value: string,
  maxAgeSeconds: number,
  path: string = AUTH_ROUTES.prefix,
): void {
  const attributes = [
    `${name}=${value}`,
    `Path=${path}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(deps.cookieSecure ? ['Secure'] : []),
  ];
  const previous = reply.getHeader('set-cookie');
  const list = previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)];
  reply.header('set-cookie', [...list, attributes.join('; ')]);
}

export const clearCookie = (deps: AuthDeps, reply: FastifyReply, name: string) => setCookie(deps, reply, name, '', 0);

/**
 * CSRF check of the cookie-authenticated endpoints: the browser's `Origin` must be an allowed admin origin. A request
 * without `Origin` is refused too: every browser sends it on a cross-origin or POST fetch, and a non-browser client
 * has no cookie jar to abuse.
 */
export function assertAllowedOrigin(deps: AuthDeps, request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (!origin || !deps.allowedOrigins.has(origin)) throw new AppError('FORBIDDEN', 'Origin not allowed');
}

/** The signed-in account of a bearer token (any role, MFA or not), for the self-service routes. */
export async function principalOf(deps: AuthDeps, request: FastifyRequest): Promise<Principal> {
  const token = bearerToken(request.headers.authorization);
  if (!token) throw new UnauthorizedError();
  const principal = await deps.tokens.verifyAccessToken(token);
  if ((await activeTokenVersion(deps.pool, principal.accountId)) !== principal.tokenVersion) {
    throw new UnauthorizedError('Access token was revoked; sign in again');
  }
  return principal;
}

/** Finish a sign-in: a new refresh family in its cookie and an access token in the body. */
export async function completeSignIn(
  deps: AuthDeps,
  reply: FastifyReply,
  account: AdminAccount,
  amr: readonly string[],
  rehashed?: string,
) {
  const authTime = new Date();
  const refresh = await startFamily(deps.pool, { accountId: account.accountId, authTime, amr }, deps.refresh);
  setCookie(deps, reply, AUTH.refreshCookie, refresh, deps.refresh.absolute);
  await recordLogin(deps.pool, account.accountId, rehashed);
  const hasFactor = amr.includes(AMR.otp) || amr.includes(AMR.device);
  return sessionBody(deps, account, amr, Math.floor(authTime.getTime() / 1000), account.role === 'admin' && !hasFactor);
}

export async function sessionBody(
  deps: AuthDeps,
  account: { accountId: string; role: AdminRole; tokenVersion: number },
  amr: readonly string[],
  authTime: number,
  mustEnrol = false,
) {
  const accessToken = await deps.tokens.issueAccessToken({
    accountId: account.accountId,
    role: account.role,
    tokenVersion: account.tokenVersion,
    authTime,
    amr,
  });
  return {
    status: 'success' as const,
    data: {
      next: mustEnrol ? ('enrol' as const) : ('done' as const),
      accessToken,
      tokenType: 'Bearer' as const,
      expiresIn: deps.tokens.lifetimes.accessToken,
      role: account.role,
    },
  };
}

/**
 * Check a second-factor code: a TOTP (±1 step, each step once) or an unused backup code. Wrong codes count towards the
 * account's MFA lockout; a locked account gets 429 with Retry-After before any code is looked at.
 */
export async function checkSecondFactor(
  deps: AuthDeps,
  request: FastifyRequest,
  account: AdminAccount,
  code: string,
  action: string,
): Promise<void> {
  const retryAfter = await deps.throttle.retryAfter([['mfaAccount', account.accountId]]);
  if (retryAfter > 0) {
    await record(deps, request, {
      action,
      outcome: 'failure',
      actorId: account.accountId,
      details: { reason: 'locked' },
    });
    throw new AppError('RATE_LIMITED', 'Too many wrong codes; try again later', [], {
      'retry-after': String(retryAfter),
    });
  }
  let ok = false;
  let kind = 'totp';
  if (/^\d{6}$/.test(code)) {
    const secret = account.totpSecret ? openSecret(account.totpSecret, deps.mfaKey, account.accountId) : undefined;
    const step = secret ? matchingStep(secret, code) : undefined;
    ok = step !== undefined && (await acceptTotpStep(deps.pool, account.accountId, step));
  } else {
    kind = 'backup_code';
    ok = await useBackupCode(deps.pool, account.accountId, backupCodeHash(code));
  }
  if (!ok) {
    const locked = await deps.throttle.fail('mfaAccount', account.accountId);
    await record(deps, request, { action, outcome: 'failure', actorId: account.accountId, details: { kind } });
    if (locked > 0) {
      await record(deps, request, {
        action: 'auth.lockout',
        outcome: 'success',
        target: account.accountId,
        details: { scope: 'mfa', seconds: locked },
      });
    }
    throw new UnauthorizedError('Invalid code');
  }
  await deps.throttle.clear('mfaAccount', account.accountId);
  await record(deps, request, { action, outcome: 'success', actorId: account.accountId, details: { kind } });
}
