import type { AdminApp } from '../shared';
import { listDevicesRoute, revokeDeviceRoute } from './devices';
import { jwksRoute } from './jwks';
import { loginRoute } from './login';
import { logoutRoute } from './logout';
import { mfaVerifyRoute } from './mfa-verify';
import { refreshRoute } from './refresh';
import type { AuthDeps } from './shared';
import { stepUpRoute } from './step-up';
import { totpActivateRoute } from './totp-activate';
import { totpEnrolRoute } from './totp-enrol';

/**
 * The sign-in routes under /api/v1/auth and the JWKS. They authenticate themselves (password, challenge, cookie or a
 * bearer token of any role, so an admin without MFA can enrol); the admin-only ones live behind the admin guard.
 */
export function registerAuthRoutes(app: AdminApp, deps: AuthDeps): void {
  loginRoute(app, deps);
  mfaVerifyRoute(app, deps);
  stepUpRoute(app, deps);
  totpEnrolRoute(app, deps);
  totpActivateRoute(app, deps);
  refreshRoute(app, deps);
  logoutRoute(app, deps);
  listDevicesRoute(app, deps);
  revokeDeviceRoute(app, deps);
  jwksRoute(app, deps);
}
