import type { AuthEvent } from '@scalefu/contracts';

/**
 * The `scalefu_auth_events_total` event an audited action counts as (the dashboards' and the lockout alert's label
 * set, fixed in contracts), or undefined for audited actions that are admin writes rather than sign-in events.
 */
export function authEventOf(action: string): AuthEvent | undefined {
  if (!action.startsWith('auth.')) return undefined;
  const name = action.slice('auth.'.length);
  if (name === 'login' || name === 'logout' || name === 'lockout' || name === 'refresh' || name === 'refresh_reuse') {
    return name;
  }
  if (name === 'mfa' || name.startsWith('mfa_') || name.startsWith('mfa.')) return 'mfa';
  return undefined;
}
