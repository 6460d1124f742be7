import { siblingHostOrigin, type PublicHost } from '@scalefu/contracts/routes';

/**
 * Where the APIs are, seen from this page: production and the local edge put every public host at
 * `<label>.<domain>` on one port (ADR 0022, ADR 0080), so the page derives them from its own origin and the same
 * build works on every environment.
 */
export function apiOrigin(host: Exclude<PublicHost, 'web'>): string {
  return siblingHostOrigin(window.location.origin, host);
}
