import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where the admin web's `next build` (output: 'export') writes its static export and `csp-hashes.json`. */
export const ADMIN_WEB_EXPORT = path.join(REPO_ROOT, 'apps', 'admin-web', 'out');
/** A one-page stand-in served until the admin web has been built. */
export const PLACEHOLDER = fileURLToPath(new URL('./placeholder', import.meta.url));

/** The folder the edge serves on the web host: `$ADMIN_WEB_DIR`, else the export once built, else the placeholder. */
export function adminWebRoot(): string {
  return process.env['ADMIN_WEB_DIR'] ?? (existsSync(ADMIN_WEB_EXPORT) ? ADMIN_WEB_EXPORT : PLACEHOLDER);
}
