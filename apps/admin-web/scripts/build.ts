#!/usr/bin/env tsx
/**
 * Purpose: build the admin web's static export into `apps/admin-web/out/` (Next.js `output: 'export'`, on the pinned
 *          Node.js 24), then write `out/csp-hashes.json` (the CSP hashes of every inline script, which the local edge
 *          and the CDN's policy allow) and `out/.source-hash` (a hash of every input, so `npm start`/`npm test`
 *          rebuild only when a source changed).
 * Prerequisites: `npm ci` at the repository root.
 * Usage: npm run build -w apps/admin-web            build (always)
 *        npx tsx apps/admin-web/scripts/build.ts --if-stale   build only when the sources changed since the last build
 */
import { ensureAdminWebBuilt, buildAdminWeb } from './build-lib';

const ifStale = process.argv.includes('--if-stale');
const started = Date.now();
const built = ifStale ? await ensureAdminWebBuilt() : (await buildAdminWeb(), true);
console.log(
  built
    ? `admin web built in ${((Date.now() - started) / 1000).toFixed(1)} s`
    : 'admin web is up to date (sources unchanged since the last build)',
);
