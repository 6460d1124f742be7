import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUTH_EVENTS } from '@scalefu/contracts';
import { authEventOf } from './auth-event';

test('maps sign-in audit actions onto the fixed auth event labels, and admin writes onto none', () => {
  assert.equal(authEventOf('auth.login'), 'login');
  assert.equal(authEventOf('auth.lockout'), 'lockout');
  assert.equal(authEventOf('auth.refresh_reuse'), 'refresh_reuse');
  assert.equal(authEventOf('auth.mfa'), 'mfa');
  assert.equal(authEventOf('auth.mfa_activate'), 'mfa');
  assert.equal(authEventOf('accounts.role_change'), undefined);
  assert.equal(authEventOf('auth.device_revoke'), undefined);
  for (const event of AUTH_EVENTS) assert.equal(authEventOf(`auth.${event}`), event);
});
