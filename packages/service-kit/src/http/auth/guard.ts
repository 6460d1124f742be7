import { ADMIN_ROLES, AMR, AUTH_LIFETIMES, type AdminRole } from '@scalefu/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors';
import { UnauthorizedError, bearerToken, type AccessTokenVerifier, type Principal } from './access-token';

/** What a route may ask of the guard, in its `config.auth`. */
export interface RouteAuthPolicy {
  /** Roles allowed; @default reads: every role, writes: admin */
  readonly roles?: readonly AdminRole[];
  /** Needs an MFA within the step-up window (delete a user, change a role). @default false */
  readonly stepUp?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuthPolicy;
  }
  interface FastifyRequest {
    /** Set by the access guard once the bearer token is verified. */
    principal?: Principal;
  }
}

export interface AccessGuardOptions {
  readonly verify: AccessTokenVerifier;
  /**
   * The account's current token version, or undefined when it is disabled or gone. Asked on writes only, so a
   * disabled account or a changed role stops writing at once and reads end with the token's lifetime.
   */
  readonly currentTokenVersion: (accountId: string) => Promise<number | undefined>;
  /** Seconds an MFA counts as recent for step-up routes. @default AUTH_LIFETIMES.stepUp */
  readonly stepUpSeconds?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class ForbiddenError extends AppError {
  constructor(message = 'Your role may not do this') {
    super('FORBIDDEN', message);
  }
}

/** True when the token's sign-in included a second factor (a code, or a trusted device). */
export function hasSecondFactor(principal: Principal): boolean {
  return principal.amr.includes(AMR.otp) || principal.amr.includes(AMR.device);
}

/**
 * The admin APIs' `onRequest` check: a verified bearer token, an admin with MFA, the route's roles (writes: admin),
 * the token version on writes, and a recent MFA on step-up routes. Refusals carry distinct codes the web reacts to:
 * 401 UNAUTHORIZED (sign in), 401 STEP_UP_REQUIRED (re-enter a code), 403 MFA_ENROLMENT_REQUIRED, 403 FORBIDDEN.
 */
export function createAccessGuard(options: AccessGuardOptions) {
  const stepUpSeconds = options.stepUpSeconds ?? AUTH_LIFETIMES.stepUp;
  const now = options.now ?? Date.now;
  return async function accessGuard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedError();
    const principal = await options.verify(token);
    request.principal = principal;
    if (principal.role === 'admin' && !hasSecondFactor(principal)) {
      throw new AppError('MFA_ENROLMENT_REQUIRED', 'Admins must enrol a second factor before using the admin API');
    }
    const policy = request.routeOptions.config.auth ?? {};
    const isRead = READ_METHODS.has(request.method);
    const roles = policy.roles ?? (isRead ? ADMIN_ROLES : ['admin']);
    if (!roles.includes(principal.role)) throw new ForbiddenError();
    if (!isRead) {
      const current = await options.currentTokenVersion(principal.accountId);
      if (current !== principal.tokenVersion) throw new UnauthorizedError('Access token was revoked; sign in again');
    }
    if (policy.stepUp) {
      const fresh = now() / 1000 - principal.authTime <= stepUpSeconds;
      if (!principal.amr.includes(AMR.otp) || !fresh) {
        throw new AppError('STEP_UP_REQUIRED', `This needs a code entered within the last ${stepUpSeconds} s`);
      }
    }
  };
}

/**
 * The guard as a fastify plugin: registered inside an encapsulated context (e.g. the admin routes' plugin), it
 * guards every route of that context and no other. Marked skip-override so the hook lands in the caller's context.
 */
export function accessGuardPlugin(options: AccessGuardOptions) {
  const guard = createAccessGuard(options);
  const plugin = async (app: FastifyInstance) => {
    app.addHook('onRequest', guard);
  };
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}
